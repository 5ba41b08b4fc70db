package io.catena.storage.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.data.ChunkDataClient;
import io.catena.protocol.data.ChunkDataException;
import io.catena.protocol.data.ChunkReadReply;
import io.catena.protocol.data.ChunkReadRequest;
import io.catena.protocol.data.DataChannelTls;
import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import io.catena.storage.chunk.ChunkId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data channel on TLS with certificates of a cluster CA: the bytes arrive whole and checked,
 * and a client that speaks plain text, trusts another CA or dialled a name the daemon's certificate
 * does not carry fails at once with a clear reason, never with wrong bytes or a hang.
 */
class ChunkDataChannelTlsTest {
  /**
   * BoringSSL where it loads (as in the daemons); the subclass runs the same tests on the JDK's.
   */
  DataChannelTls.Provider expectedProvider() {
    return DataChannelTls.boringSslAvailable()
        ? DataChannelTls.Provider.BORINGSSL
        : DataChannelTls.Provider.JDK;
  }

  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path dir;
  private CertificateAuthority ca;
  private LocalChain chain;
  private StorageTestClient client;
  private ChunkDataServer tlsServer;
  private TransportSecurity clientTls;

  /** Runs first in each test's set-up. */
  void beforeStart() {}

  @BeforeEach
  void start() throws Exception {
    beforeStart();
    ca = CertificateAuthority.openOrCreate(dir.resolve("ca"), "test", Clock.systemUTC());
    chain = new LocalChain(dir.resolve("chain"), 1, (token, c, id, a) -> !token.equals("intruder"));
    client = new StorageTestClient(chain::view, Duration.ofSeconds(60));
    TransportSecurity serverTls = holder("node-1", List.of("127.0.0.1", "localhost"));
    tlsServer =
        new ChunkDataServer(
            chain.servers[0].replicator(), "127.0.0.1", 0, Duration.ofSeconds(30), serverTls);
    clientTls = holder("client-1", List.of());
  }

  @AfterEach
  void stop() {
    if (tlsServer != null) {
      tlsServer.close();
    }
    client.close();
    chain.close();
  }

  private TransportSecurity holder(String name, List<String> hosts) throws Exception {
    return TransportSecurity.tls(
        ca.issue(PeerIdentity.node(name), hosts, Duration.ofDays(1))
            .writeTo(TlsIdentityFiles.in(dir.resolve(name)), ca.certificatePem()));
  }

  private InetSocketAddress tlsAddress() {
    return new InetSocketAddress("127.0.0.1", tlsServer.port());
  }

  private ChunkReadRequest request(ChunkId id, int offset, int length, String token) {
    return new ChunkReadRequest(
        LocalChain.CHAIN, chain.view().version(), id.toBytes(), offset, length, token);
  }

  private static byte[] content(int seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aTlsReadReturnsTheCommittedBytesCheckedAndReusesItsConnection() {
    ChunkId id = ChunkId.of(5, 1);
    byte[] v1 = content(1, 1_000_000);
    assertThat(client.write(id, 0, v1, "c", 1).hasError()).isFalse();
    assertThat(tlsServer.isTls()).isTrue();
    assertThat(tlsServer.tlsProvider()).isEqualTo(expectedProvider());
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try (ChunkDataClient data = new ChunkDataClient(Duration.ofSeconds(10), clientTls)) {
            for (ByteBuffer dst :
                List.of(
                    ByteBuffer.allocateDirect(1 << 20),
                    ByteBuffer.allocate(1 << 20),
                    ByteBuffer.allocateDirect(1 << 20))) {
              ChunkReadReply r = data.read(tlsAddress(), request(id, 0, 0, "t"), dst);
              assertThat(r.length()).isEqualTo(v1.length);
              assertThat(r.chunkLength()).isEqualTo(v1.length);
              assertThat(r.commitVersion()).isEqualTo(1);
              byte[] got = new byte[r.length()];
              dst.flip().get(got);
              assertThat(got).isEqualTo(v1);
            }
            // ranges smaller than a TLS record, and across record boundaries
            for (int[] range : new int[][] {{4096, 100}, {16_000, 40_000}, {999_990, 10}}) {
              ByteBuffer dst = ByteBuffer.allocate(range[1]);
              ChunkReadReply rr =
                  data.read(tlsAddress(), request(id, range[0], range[1], "t"), dst);
              assertThat(rr.length()).isEqualTo(range[1]);
              assertThat(dst.array())
                  .isEqualTo(Arrays.copyOfRange(v1, range[0], range[0] + range[1]));
            }
            // the tenant token is still checked over TLS; the connection survives the refusal
            assertThatThrownBy(
                    () ->
                        data.read(
                            tlsAddress(),
                            request(id, 0, 0, "intruder"),
                            ByteBuffer.allocate(1 << 20)))
                .isInstanceOfSatisfying(
                    ChunkDataException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
            assertThat(data.read(tlsAddress(), request(id, 0, 10, "t"), ByteBuffer.allocate(10)))
                .extracting(ChunkReadReply::length)
                .isEqualTo(10);
          }
        });
    assertThat(tlsServer.readsServed()).isEqualTo(7);
  }

  @Test
  void aClientThatHoldsOnlyTheCaReadsOverTls() {
    ChunkId id = ChunkId.of(5, 4);
    byte[] v1 = content(4, 300_000);
    assertThat(client.write(id, 0, v1, "c", 1).hasError()).isFalse();
    TransportSecurity trusting =
        TransportSecurity.trusting(dir.resolve("node-1").resolve(TlsIdentityFiles.CA));
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try (ChunkDataClient data = new ChunkDataClient(Duration.ofSeconds(10), trusting)) {
            ByteBuffer dst = ByteBuffer.allocateDirect(1 << 20);
            assertThat(data.read(tlsAddress(), request(id, 0, 0, "t"), dst).length())
                .isEqualTo(v1.length);
            byte[] got = new byte[v1.length];
            dst.flip().get(got);
            assertThat(got).isEqualTo(v1);
          }
        });
    assertThatThrownBy(
            () ->
                new ChunkDataServer(
                    chain.servers[0].replicator(), "127.0.0.1", 0, Duration.ofSeconds(5), trusting))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("certificate");
  }

  @Test
  void aPlainTextClientOnTheTlsChannelIsToldSoAtOnce() {
    ChunkId id = ChunkId.of(5, 2);
    assertThat(client.write(id, 0, content(2, 70_000), "c", 1).hasError()).isFalse();
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try (ChunkDataClient plain =
              new ChunkDataClient(Duration.ofSeconds(10), TransportSecurity.plaintext())) {
            ByteBuffer dst = ByteBuffer.allocate(1 << 20);
            assertThatThrownBy(() -> plain.read(tlsAddress(), request(id, 0, 0, "t"), dst))
                .isInstanceOfSatisfying(
                    ChunkDataException.class,
                    e -> {
                      assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                      assertThat(e.retryable()).isFalse();
                      assertThat(e.getMessage()).contains("accepts TLS only");
                    });
            assertThat(dst.position()).isZero();
          }
        });
    assertThat(tlsServer.readsServed()).isZero();
  }

  @Test
  void aClientThatDoesNotTrustTheClusterCaFailsTheHandshake() throws Exception {
    CertificateAuthority other = CertificateAuthority.create("other", Clock.systemUTC());
    TransportSecurity foreign =
        TransportSecurity.tls(
            other
                .issue(PeerIdentity.node("client-x"), List.of(), Duration.ofDays(1))
                .writeTo(TlsIdentityFiles.in(dir.resolve("foreign")), other.certificatePem()));
    assertHandshakeFails(foreign, tlsAddress());
  }

  @Test
  void aDaemonCertificateThatDoesNotNameTheDialledAddressFailsTheHandshake() throws Exception {
    TransportSecurity elsewhere = holder("node-2", List.of("192.0.2.7", "other.example"));
    try (ChunkDataServer wrongName =
        new ChunkDataServer(
            chain.servers[0].replicator(), "127.0.0.1", 0, Duration.ofSeconds(30), elsewhere)) {
      assertHandshakeFails(clientTls, new InetSocketAddress("127.0.0.1", wrongName.port()));
    }
  }

  @Test
  void aTlsClientOnAPlainTextChannelFailsWithoutWaitingForItsTimeout() {
    ChunkId id = ChunkId.of(5, 3);
    InetSocketAddress plainPort = new InetSocketAddress("127.0.0.1", chain.servers[0].dataPort());
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try (ChunkDataClient data = new ChunkDataClient(Duration.ofSeconds(60), clientTls)) {
            assertThatThrownBy(
                    () -> data.read(plainPort, request(id, 0, 0, "t"), ByteBuffer.allocate(10)))
                .isInstanceOfSatisfying(
                    ChunkDataException.class,
                    e -> {
                      assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                      assertThat(e.getMessage()).contains("TLS handshake");
                    });
          }
        });
  }

  @Test
  void plainTextServesAndDialsLoopbackOnly() {
    assertThatThrownBy(
            () ->
                new ChunkDataServer(
                    chain.servers[0].replicator(),
                    "0.0.0.0",
                    0,
                    Duration.ofSeconds(30),
                    TransportSecurity.plaintext()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback only");
    try (ChunkDataClient plain =
        new ChunkDataClient(Duration.ofSeconds(5), TransportSecurity.plaintext())) {
      assertThatThrownBy(
              () ->
                  plain.read(
                      new InetSocketAddress("192.0.2.1", 9),
                      request(ChunkId.of(1, 1), 0, 0, "t"),
                      ByteBuffer.allocate(10)))
          .isInstanceOfSatisfying(
              ChunkDataException.class, e -> assertThat(e.getMessage()).contains("loopback only"));
    }
  }

  @Test
  void aClientThatStallsInTheHandshakeIsDroppedAndATlsClientOfASilentServerTimesOut()
      throws Exception {
    try (ChunkDataServer quick =
            new ChunkDataServer(
                chain.servers[0].replicator(),
                "127.0.0.1",
                0,
                Duration.ofMillis(500),
                holder("node-3", List.of("127.0.0.1")));
        java.nio.channels.SocketChannel stalled =
            java.nio.channels.SocketChannel.open(new InetSocketAddress("127.0.0.1", quick.port()));
        java.nio.channels.ServerSocketChannel silent =
            java.nio.channels.ServerSocketChannel.open()
                .bind(new InetSocketAddress("127.0.0.1", 0))) {
      assertTimeoutPreemptively(
          BOUND,
          () -> {
            stalled.write(ByteBuffer.wrap(new byte[] {0x16, 0x03})); // half a record header
            assertThat(stalled.read(ByteBuffer.allocate(16))).isEqualTo(-1); // dropped
          });
      assertTimeoutPreemptively(
          BOUND,
          () -> {
            try (ChunkDataClient data = new ChunkDataClient(Duration.ofMillis(500), clientTls)) {
              InetSocketAddress a = (InetSocketAddress) silent.getLocalAddress();
              assertThatThrownBy(
                      () ->
                          data.read(
                              a, request(ChunkId.of(5, 1), 0, 0, "t"), ByteBuffer.allocate(10)))
                  .isInstanceOfSatisfying(
                      ChunkDataException.class,
                      e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).contains("timed out");
                      });
            }
          });
    }
  }

  private void assertHandshakeFails(TransportSecurity security, InetSocketAddress address) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          try (ChunkDataClient data = new ChunkDataClient(Duration.ofSeconds(60), security)) {
            ByteBuffer dst = ByteBuffer.allocate(1 << 20);
            assertThatThrownBy(() -> data.read(address, request(ChunkId.of(5, 1), 0, 0, "t"), dst))
                .isInstanceOfSatisfying(
                    ChunkDataException.class,
                    e -> {
                      assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                      assertThat(e.retryable()).isFalse();
                      assertThat(e.getMessage()).contains("TLS handshake");
                      assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
                    });
            assertThat(dst.position()).isZero();
          }
        });
  }
}
