package io.catena.protocol.security;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How one process talks on the wire: mutual TLS with an identity from the cluster CA, or plain
 * text, which is refused for any address off loopback. One instance per process, shared by its
 * servers and channels: the TLS form re-reads its certificate and key every minute, so a renewed
 * certificate is used without a restart.
 */
public sealed interface TransportSecurity {

  /** Plain text, for loopback only and only when asked for ({@code --plaintext}). */
  static TransportSecurity plaintext() {
    return Plaintext.INSTANCE;
  }

  /** Mutual TLS with the files in {@code files} (all three must exist). */
  static TransportSecurity tls(TlsIdentityFiles files) {
    return new Tls(files.requirePresent());
  }

  /**
   * TLS that verifies servers against the cluster CA in {@code caFile} and presents no certificate:
   * for clients, which authenticate with a tenant token.
   */
  static TransportSecurity trusting(java.nio.file.Path caFile) {
    return new Tls(new TlsIdentityFiles(null, null, caFile));
  }

  /** Credentials to serve on {@code listenHost} with. */
  ServerCredentials serverCredentials(String listenHost);

  /** Credentials to dial {@code host} with. */
  ChannelCredentials channelCredentials(String host);

  boolean isTls();

  /** A plain-text transport: loopback only. */
  final class Plaintext implements TransportSecurity {
    static final Plaintext INSTANCE = new Plaintext();

    private Plaintext() {}

    @Override
    public ServerCredentials serverCredentials(String listenHost) {
      requireLoopback(listenHost, "serve");
      return InsecureServerCredentials.create();
    }

    @Override
    public ChannelCredentials channelCredentials(String host) {
      requireLoopback(host, "dial");
      return InsecureChannelCredentials.create();
    }

    @Override
    public boolean isTls() {
      return false;
    }

    @Override
    public String toString() {
      return "plaintext (loopback only)";
    }

    private static void requireLoopback(String host, String what) {
      if (!Loopback.is(host)) {
        throw new IllegalArgumentException(
            "plain gRPC is allowed on loopback only, not to "
                + what
                + " "
                + host
                + ": give the node's TLS files (--tls-dir) from the cluster CA");
      }
    }
  }

  /** Mutual TLS: both sides present a certificate of the cluster CA (clients may present none). */
  final class Tls implements TransportSecurity {
    private static final ScheduledExecutorService RELOADER =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("tls-reload").unstarted(r));

    private final TlsIdentityFiles files;
    private final AdvancedTlsX509KeyManager keys;
    private final X509TrustManager trust;

    private Tls(TlsIdentityFiles files) {
      this.files = files;
      try {
        if (files.certificate() == null) {
          this.keys = null;
        } else {
          this.keys = new AdvancedTlsX509KeyManager();
          keys.updateIdentityCredentials(
              files.certificate().toFile(), files.key().toFile(), 1, TimeUnit.MINUTES, RELOADER);
        }
        this.trust = trustManager(files);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "cannot load the TLS files " + files + ": " + e.getMessage(), e);
      }
    }

    public TlsIdentityFiles files() {
      return files;
    }

    @Override
    public ServerCredentials serverCredentials(String listenHost) {
      if (keys == null) {
        throw new IllegalStateException("a server needs a certificate, not only the CA's");
      }
      return TlsServerCredentials.newBuilder()
          .keyManager(keys)
          .trustManager(trust)
          // Clients of the data path authenticate with a tenant token and show no certificate;
          // the calls that need one are refused by CallerInterceptor when it is missing.
          .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
          .build();
    }

    @Override
    public ChannelCredentials channelCredentials(String host) {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(trust);
      return keys == null ? b.build() : b.keyManager(keys).build();
    }

    @Override
    public boolean isTls() {
      return true;
    }

    /** An SSL context with the same identity and trust, for the raw-TCP data channel. */
    public SSLContext sslContext() {
      try {
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(
            new javax.net.ssl.KeyManager[] {keys}, new javax.net.ssl.TrustManager[] {trust}, null);
        return ctx;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("TLS 1.3 is not available: " + e.getMessage(), e);
      }
    }

    @Override
    public String toString() {
      return keys == null
          ? "TLS trusting " + files.ca()
          : "mutual TLS (" + files.certificate() + ")";
    }

    private static X509TrustManager trustManager(TlsIdentityFiles files)
        throws IOException, GeneralSecurityException {
      List<X509Certificate> cas = Pem.certificates(Files.readString(files.ca()));
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load((InputStream) null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("catena-ca-" + i, cas.get(i));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      for (javax.net.ssl.TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new GeneralSecurityException("no X.509 trust manager");
    }
  }
}
