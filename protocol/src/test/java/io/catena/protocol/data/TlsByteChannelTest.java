package io.catena.protocol.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TlsByteChannel} on both engines: replies of every size around the TLS record size (16 KiB)
 * arrive whole through {@link ChunkDataClient}, into buffers with exactly the room they need.
 */
class TlsByteChannelTest {
  @TempDir Path dir;
  private ServerSocketChannel server;
  private TransportSecurity.Tls serverTls;
  private TransportSecurity.Tls clientTls;
  private final byte[] body = new byte[(4 << 20) + 70_000];

  @BeforeEach
  void setUp() throws Exception {
    new Random(3).nextBytes(body);
    CertificateAuthority ca =
        CertificateAuthority.openOrCreate(dir.resolve("ca"), "test", Clock.systemUTC());
    serverTls = identity(ca, "node-1", List.of("127.0.0.1"));
    clientTls = identity(ca, "client-1", List.of());
  }

  private TransportSecurity.Tls identity(CertificateAuthority ca, String name, List<String> hosts)
      throws IOException {
    return (TransportSecurity.Tls)
        TransportSecurity.tls(
            ca.issue(PeerIdentity.node(name), hosts, Duration.ofDays(1))
                .writeTo(TlsIdentityFiles.in(dir.resolve(name)), ca.certificatePem()));
  }

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** Answers a read of (offset, length) with that slice of {@code body}, over TLS. */
  private InetSocketAddress serve(DataChannelTls tls) throws IOException {
    server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              while (server.isOpen()) {
                try {
                  SocketChannel ch = server.accept();
                  Thread.ofPlatform()
                      .daemon()
                      .start(
                          () -> {
                            try (ch) {
                              TlsByteChannel t =
                                  TlsByteChannel.server(ch, tls, ByteBuffer.allocate(0));
                              t.handshake();
                              ChunkReadRequest r;
                              while ((r = ChunkDataWire.readRequest(t)) != null) {
                                ByteBuffer data = ByteBuffer.wrap(body, r.offset(), r.length());
                                CRC32C c = new CRC32C();
                                c.update(data.duplicate());
                                ByteBuffer[] parts = {
                                  ChunkDataWire.encodeOk(
                                      9, r.length(), (int) c.getValue(), r.length()),
                                  data
                                };
                                while (parts[0].hasRemaining() || parts[1].hasRemaining()) {
                                  t.write(parts);
                                }
                              }
                            } catch (Exception e) {
                              // connection ends
                            }
                          });
                } catch (IOException e) {
                  return;
                }
              }
            });
    return (InetSocketAddress) server.getLocalAddress();
  }

  @ParameterizedTest
  @EnumSource(DataChannelTls.Provider.class)
  void repliesOfEverySizeAroundARecordArriveWhole(DataChannelTls.Provider provider)
      throws Exception {
    Assumptions.assumeTrue(
        provider == DataChannelTls.Provider.JDK || DataChannelTls.boringSslAvailable());
    InetSocketAddress a = serve(DataChannelTls.of(serverTls, provider));
    List<Integer> lengths = new ArrayList<>();
    for (int n = 1; n <= 40; n++) {
      lengths.add(n);
    }
    for (int base : new int[] {16_384 - 28, 16_384, 32_768 - 28, 65_536}) {
      for (int n = base - 40; n <= base + 40; n++) {
        lengths.add(n);
      }
    }
    lengths.add(1 << 20);
    lengths.add(4 << 20);
    lengths.add((4 << 20) + 16_401);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          try (ChunkDataClient client =
              new ChunkDataClient(Duration.ofSeconds(20), DataChannelTls.of(clientTls, provider))) {
            int i = 0;
            for (int length : lengths) {
              int offset = (i++ * 7919) % 60_000;
              ByteBuffer dst =
                  i % 2 == 0 ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
              // offset 0 and the whole length: the client checks the CRC32C too
              ChunkReadReply r =
                  client.read(
                      a, new ChunkReadRequest(1, 1, new byte[] {1}, offset, length, ""), dst);
              assertThat(r.length()).isEqualTo(length);
              assertThat(dst.position()).isEqualTo(length);
              dst.flip();
              assertThat(dst).isEqualTo(ByteBuffer.wrap(body, offset, length));
            }
          }
        });
  }
}
