package io.catena.protocol.data;

import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Where the data channel's TLS engines come from, for one process's {@link TransportSecurity.Tls}:
 * BoringSSL (the copy gRPC's shaded Netty carries, {@code netty-tcnative}) when it loads on this
 * platform, else the JDK's TLS. Both speak TLS 1.3 with the node's certificate and the cluster CA;
 * they differ in cost: BoringSSL's AES-GCM on direct buffers runs at several GB/s a core, the JDK's
 * at 1.5 to 2 (docs/performance.md, "TLS on the data channel"). {@link Provider#JDK} can be forced
 * with {@code -Dcatena.dataChannel.tls=jdk}.
 *
 * <p>Certificate renewal: the JDK engines share {@link TransportSecurity.Tls}'s reloading key
 * manager; the BoringSSL context is rebuilt when the certificate or key file changes (checked, by
 * modification time, at most once a second when a connection is opened).
 */
public final class DataChannelTls {

  /** The TLS implementation in use. */
  public enum Provider {
    BORINGSSL,
    JDK
  }

  private static final long RECHECK_NANOS = 1_000_000_000L;

  private final TransportSecurity.Tls security;
  private final Provider provider;
  private final SSLContext jdk;
  private volatile Built built; // BoringSSL only
  private volatile long checkedAt;

  /** The BoringSSL contexts; {@code server} null for a holder of the CA only (a client). */
  private record Built(SslContext server, SslContext client, FileTime cert, FileTime key) {}

  private DataChannelTls(TransportSecurity.Tls security, Provider provider) {
    this.security = security;
    this.provider = provider;
    this.jdk = provider == Provider.JDK ? security.sslContext() : null;
    if (provider == Provider.BORINGSSL) {
      this.built = build();
      this.checkedAt = System.nanoTime();
    }
  }

  /** BoringSSL when it is available (and not turned off), else the JDK. */
  public static DataChannelTls of(TransportSecurity.Tls security) {
    boolean wantJdk = "jdk".equalsIgnoreCase(System.getProperty("catena.dataChannel.tls", ""));
    return of(security, !wantJdk && boringSslAvailable() ? Provider.BORINGSSL : Provider.JDK);
  }

  /** A given provider (benchmarks and tests compare them). */
  public static DataChannelTls of(TransportSecurity.Tls security, Provider provider) {
    if (provider == Provider.BORINGSSL && !boringSslAvailable()) {
      throw new IllegalStateException(
          "BoringSSL is not available: " + OpenSsl.unavailabilityCause());
    }
    return new DataChannelTls(security, provider);
  }

  /** Whether gRPC's BoringSSL loads here (native access must be allowed). */
  public static boolean boringSslAvailable() {
    try {
      return OpenSsl.isAvailable() && OpenSsl.isCipherSuiteAvailable("TLS_AES_128_GCM_SHA256");
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  public Provider provider() {
    return provider;
  }

  /** Whether its engines want direct packet buffers (BoringSSL: yes; the JDK: heap is faster). */
  boolean directBuffers() {
    return provider == Provider.BORINGSSL;
  }

  /** A client engine that verifies the server's certificate against {@code host} as dialled. */
  SSLEngine clientEngine(String host, int port) throws SSLException {
    SSLEngine e =
        provider == Provider.JDK
            ? jdk.createSSLEngine(host, port)
            : current().client.newEngine(UnpooledByteBufAllocator.DEFAULT, host, port);
    e.setUseClientMode(true);
    SSLParameters p = parameters(e);
    p.setEndpointIdentificationAlgorithm("HTTPS");
    e.setSSLParameters(p);
    return e;
  }

  /** A server engine that asks for, but does not require, a client certificate. */
  SSLEngine serverEngine() throws SSLException {
    SSLEngine e =
        provider == Provider.JDK
            ? jdk.createSSLEngine()
            : serverContext().newEngine(UnpooledByteBufAllocator.DEFAULT);
    e.setUseClientMode(false);
    SSLParameters p = parameters(e);
    p.setWantClientAuth(true);
    p.setUseCipherSuitesOrder(true);
    e.setSSLParameters(p);
    return e;
  }

  private static SSLParameters parameters(SSLEngine e) {
    SSLParameters p = e.getSSLParameters();
    p.setProtocols(new String[] {"TLSv1.3"});
    List<String> supported = List.of(e.getSupportedCipherSuites());
    p.setCipherSuites(
        TlsByteChannel.CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
    return p;
  }

  private SslContext serverContext() throws SSLException {
    SslContext server = current().server;
    if (server == null) {
      throw new SSLException("a data-channel server needs a certificate, not only the CA's");
    }
    return server;
  }

  /** The BoringSSL contexts, rebuilt when the certificate or key changed on disk. */
  private Built current() throws SSLException {
    Built b = built;
    long now = System.nanoTime();
    if (now - checkedAt < RECHECK_NANOS || security.files().certificate() == null) {
      return b;
    }
    synchronized (this) {
      checkedAt = now;
      try {
        TlsIdentityFiles f = security.files();
        if (!Files.getLastModifiedTime(f.certificate()).equals(b.cert)
            || !Files.getLastModifiedTime(f.key()).equals(b.key)) {
          built = b = build();
        }
      } catch (IOException | RuntimeException e) {
        // keep the contexts that work; the files may be mid-renewal
      }
      return b;
    }
  }

  private Built build() {
    TlsIdentityFiles f = security.files();
    try {
      if (f.certificate() == null) { // TransportSecurity.trusting(ca): a client without identity
        return new Built(null, clientBuilder(f).build(), null, null);
      }
      FileTime cert = Files.getLastModifiedTime(f.certificate());
      FileTime key = Files.getLastModifiedTime(f.key());
      SslContext server =
          SslContextBuilder.forServer(f.certificate().toFile(), f.key().toFile())
              .trustManager(f.ca().toFile())
              .clientAuth(ClientAuth.OPTIONAL)
              .sslProvider(SslProvider.OPENSSL)
              .protocols("TLSv1.3")
              .ciphers(TlsByteChannel.CIPHER_SUITES)
              .build();
      SslContext client =
          clientBuilder(f).keyManager(f.certificate().toFile(), f.key().toFile()).build();
      return new Built(server, client, cert, key);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot load the TLS files " + f + " for the data channel: " + e.getMessage(), e);
    }
  }

  private static SslContextBuilder clientBuilder(TlsIdentityFiles f) {
    return SslContextBuilder.forClient()
        .trustManager(f.ca().toFile())
        .sslProvider(SslProvider.OPENSSL)
        .protocols("TLSv1.3")
        .ciphers(TlsByteChannel.CIPHER_SUITES)
        .endpointIdentificationAlgorithm("HTTPS");
  }

  @Override
  public String toString() {
    return "data channel TLS 1.3 (" + provider + ")";
  }
}
