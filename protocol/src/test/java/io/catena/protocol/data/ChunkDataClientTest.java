package io.catena.protocol.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.protocol.common.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted server: checksums, timeouts, reused connections. */
class ChunkDataClientTest {
  private ServerSocketChannel server;
  private final CountDownLatch release = new CountDownLatch(1);

  /** How the scripted server answers one request. */
  private interface Answer {
    void answer(SocketChannel ch, ChunkReadRequest r) throws Exception;
  }

  private InetSocketAddress serve(Answer answer) throws IOException {
    server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    Thread.ofVirtual()
        .start(
            () -> {
              while (server.isOpen()) {
                try {
                  SocketChannel ch = server.accept();
                  Thread.ofVirtual()
                      .start(
                          () -> {
                            try (ch) {
                              ChunkReadRequest r;
                              while ((r = ChunkDataWire.readRequest(ch)) != null) {
                                answer.answer(ch, r);
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

  @AfterEach
  void close() throws IOException {
    release.countDown();
    server.close();
  }

  private static void write(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static int crc(byte[] b) {
    CRC32C c = new CRC32C();
    c.update(b);
    return (int) c.getValue();
  }

  private static ChunkReadRequest request(int offset, int length) {
    return new ChunkReadRequest(1, 3, new byte[] {1, 2}, offset, length, "t");
  }

  @Test
  void aWholeChunkThatFailsItsChecksumIsRefusedAndTheConnectionIsReused() throws Exception {
    byte[] body = {10, 20, 30, 40};
    InetSocketAddress a =
        serve(
            (ch, r) -> {
              assertThat(r.token()).isEqualTo("t");
              int crc = r.length() == 1 ? crc(body) : crc(body) + 1; // length 1: honest
              write(ch, ChunkDataWire.encodeOk(7, 4, crc, 4));
              write(ch, ByteBuffer.wrap(body));
            });
    try (ChunkDataClient client = new ChunkDataClient(Duration.ofSeconds(30))) {
      ByteBuffer dst = ByteBuffer.allocate(8);
      assertThatThrownBy(() -> client.read(a, request(0, 0), dst))
          .isInstanceOfSatisfying(
              ChunkDataException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
      assertThat(dst.position()).isZero();
      ChunkReadReply ok = client.read(a, request(0, 1), dst);
      assertThat(ok.commitVersion()).isEqualTo(7);
      assertThat(dst.position()).isEqualTo(4);
    }
  }

  @Test
  void errorsCarryCodeRetryabilityAndCurrentVersion() throws Exception {
    InetSocketAddress a =
        serve(
            (ch, r) ->
                write(
                    ch,
                    ChunkDataWire.encodeError(ErrorCode.STALE_CHAIN_VERSION, "stale", true, 9)));
    try (ChunkDataClient client = new ChunkDataClient(Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> client.read(a, request(0, 0), ByteBuffer.allocate(4)))
          .isInstanceOfSatisfying(
              ChunkDataException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.STALE_CHAIN_VERSION);
                assertThat(e.retryable()).isTrue();
                assertThat(e.currentVersion()).isEqualTo(9);
                assertThat(e.getMessage()).contains("stale");
              });
    }
  }

  @Test
  void aServerThatStopsAnsweringFailsTheReadRetryablyWithinTheTimeout() throws Exception {
    InetSocketAddress a = serve((ch, r) -> release.await(2, TimeUnit.MINUTES));
    try (ChunkDataClient client = new ChunkDataClient(Duration.ofMillis(300))) {
      assertThatThrownBy(() -> client.read(a, request(0, 0), ByteBuffer.allocate(4)))
          .isInstanceOfSatisfying(
              ChunkDataException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("timed out");
              });
    }
  }

  @Test
  void aReplyLargerThanTheBufferIsRefused() throws Exception {
    InetSocketAddress a =
        serve(
            (ch, r) -> {
              write(ch, ChunkDataWire.encodeOk(1, 16, 0, 16));
              write(ch, ByteBuffer.allocate(16));
            });
    try (ChunkDataClient client = new ChunkDataClient(Duration.ofSeconds(30))) {
      assertThatThrownBy(() -> client.read(a, request(0, 0), ByteBuffer.allocate(4)))
          .isInstanceOfSatisfying(
              ChunkDataException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }
  }
}
