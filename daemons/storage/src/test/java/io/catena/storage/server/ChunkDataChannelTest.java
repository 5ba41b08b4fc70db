package io.catena.storage.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.data.ChunkDataClient;
import io.catena.protocol.data.ChunkDataException;
import io.catena.protocol.data.ChunkReadReply;
import io.catena.protocol.data.ChunkReadRequest;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chunk.ChunkId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads over the data channel: committed bytes only, checked like gRPC reads, never torn. */
class ChunkDataChannelTest {
  @TempDir Path dir;
  private LocalChain chain;
  private StorageTestClient client;
  private final ChunkDataClient data = new ChunkDataClient(Duration.ofSeconds(60));

  @AfterEach
  void tearDown() {
    data.close();
    if (client != null) {
      client.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  private void start(int replicas, RequestAuthorizer authorizer) {
    chain = new LocalChain(dir, replicas, authorizer);
    client = new StorageTestClient(chain::view, Duration.ofSeconds(60));
  }

  private InetSocketAddress dataAddress(int i) {
    return new InetSocketAddress("127.0.0.1", chain.servers[i].dataPort());
  }

  private ChunkReadRequest request(ChunkId id, int offset, int length) {
    return new ChunkReadRequest(
        LocalChain.CHAIN, chain.view().version(), id.toBytes(), offset, length, "");
  }

  /** Content of version {@code seq}: its first 4 bytes name the seed of the rest. */
  private static byte[] content(int seq, int length) {
    byte[] b = new byte[length];
    new Random(seq).nextBytes(b);
    ByteBuffer.wrap(b).putInt(seq);
    return b;
  }

  @Test
  void readsCommittedBytesWholeAndByRangeFromEveryReplica() {
    start(3, RequestAuthorizer.allowAll());
    ChunkId id = ChunkId.of(5, 1);
    byte[] v1 = content(1, 1_000_000);
    assertThat(client.write(id, 0, v1, "c", 1).hasError()).isFalse();
    for (int i = 0; i < 3; i++) {
      ByteBuffer dst = ByteBuffer.allocateDirect(1 << 20);
      ChunkReadReply r = data.read(dataAddress(i), request(id, 0, 0), dst);
      assertThat(r.length()).isEqualTo(v1.length);
      assertThat(r.chunkLength()).isEqualTo(v1.length);
      assertThat(r.commitVersion()).isEqualTo(1);
      byte[] got = new byte[r.length()];
      dst.flip().get(got);
      assertThat(got).isEqualTo(v1);

      ByteBuffer range = ByteBuffer.allocate(100);
      ChunkReadReply rr = data.read(dataAddress(i), request(id, 4096, 100), range);
      assertThat(rr.length()).isEqualTo(100);
      assertThat(range.array()).isEqualTo(Arrays.copyOfRange(v1, 4096, 4196));
    }
  }

  @Test
  void refusalsCarryTheSameCodesAsTheGrpcRead() {
    start(1, (token, chainId, chunk, access) -> !token.equals("intruder"));
    ChunkId id = ChunkId.of(5, 2);
    assertThat(client.write(id, 0, content(2, 1000), "c", 1).hasError()).isFalse();
    ByteBuffer dst = ByteBuffer.allocate(4096);
    long version = chain.view().version();

    assertThatThrownBy(() -> data.read(dataAddress(0), request(ChunkId.of(5, 99), 0, 0), dst))
        .isInstanceOfSatisfying(
            ChunkDataException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(
            () ->
                data.read(
                    dataAddress(0),
                    new ChunkReadRequest(LocalChain.CHAIN, version + 5, id.toBytes(), 0, 0, ""),
                    dst))
        .isInstanceOfSatisfying(
            ChunkDataException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.STALE_CHAIN_VERSION);
              assertThat(e.retryable()).isTrue();
            });
    assertThatThrownBy(
            () ->
                data.read(
                    dataAddress(0),
                    new ChunkReadRequest(LocalChain.CHAIN, version, id.toBytes(), 0, 0, "intruder"),
                    dst))
        .isInstanceOfSatisfying(
            ChunkDataException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
    // past the end: no bytes, as over gRPC (a file's hole)
    assertThat(data.read(dataAddress(0), request(id, 5000, 0), dst.clear()).length()).isZero();
    // the connection stays usable after refusals
    assertThat(data.read(dataAddress(0), request(id, 0, 0), dst.clear()).length()).isEqualTo(1000);
  }

  @Test
  void readsDuringConcurrentOverwritesSeeOneWholeCommittedVersion() throws Exception {
    start(1, RequestAuthorizer.allowAll());
    ChunkId id = ChunkId.of(5, 3);
    int length = 300_000;
    assertThat(client.write(id, 0, content(1, length), "w", 1).hasError()).isFalse();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger acknowledged = new AtomicInteger(1);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?> writer =
          pool.submit(
              () -> {
                for (int seq = 2; seq <= 60 && !stop.get(); seq++) {
                  assertThat(client.write(id, 0, content(seq, length), "w", seq).hasError())
                      .isFalse();
                  acknowledged.set(seq);
                }
                stop.set(true);
                return null;
              });
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  ByteBuffer dst = ByteBuffer.allocateDirect(length);
                  int reads = 0;
                  while (!stop.get() || reads == 0) {
                    int before = acknowledged.get();
                    ChunkReadReply reply =
                        data.read(dataAddress(0), request(id, 0, 0), dst.clear());
                    byte[] got = new byte[reply.length()];
                    dst.flip().get(got);
                    int seq = ByteBuffer.wrap(got).getInt();
                    // whole (CRC checked by the client), one version's bytes, never older than
                    // what was acknowledged before the read began
                    assertThat(got).isEqualTo(content(seq, length));
                    assertThat(seq).isGreaterThanOrEqualTo(before);
                    reads++;
                  }
                  return reads;
                }));
      }
      writer.get();
      for (Future<Integer> f : readers) {
        assertThat(f.get()).isPositive();
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
    ByteBuffer dst = ByteBuffer.allocate(length);
    data.read(dataAddress(0), request(id, 0, 0), dst);
    assertThat(dst.array()).isEqualTo(content(acknowledged.get(), length));
  }
}
