package io.catena.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.client.file.CatenaFile;
import io.catena.client.file.CreateOptions;
import io.catena.client.file.FileStat;
import io.catena.client.testing.CatenaTestCluster;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Files written and read back through a real cluster, across chunk and stripe boundaries. */
class FileRoundTripTest {

  private static final int CHUNK = 64 * 1024;
  private static CatenaTestCluster cluster;
  private static CatenaClient client;

  @BeforeAll
  static void start() {
    cluster = CatenaTestCluster.builder().storageNodes(3).replicas(2).chains(6).stripe(4).start();
    client = cluster.newClient();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void bytesWrittenInOddPiecesReadBackIdenticallyAcrossChunksAndStripes() {
    byte[] data = random(9 * CHUNK + 12_345, 1);
    CatenaFile f =
        client.files().create("/round-trip", CreateOptions.defaults().withChunkSize(CHUNK));
    assertThat(f.layout().stripeSize()).isEqualTo(4);
    assertThat(f.layout().chunkSize()).isEqualTo(CHUNK);
    // Pieces of 100,001 bytes cross chunk boundaries at varying offsets; a direct buffer for half.
    int piece = 100_001;
    for (int at = 0; at < data.length; at += piece) {
      int n = Math.min(piece, data.length - at);
      ByteBuffer src =
          (at / piece) % 2 == 0 ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
      src.put(data, at, n).flip();
      assertThat(f.write(at, src)).isEqualTo(n);
      assertThat(src.hasRemaining()).isFalse();
    }
    f.close();

    FileStat stat = client.files().stat("/round-trip");
    assertThat(stat.length()).isEqualTo(data.length);
    Set<Integer> chains = new HashSet<>(stat.layout().orElseThrow().chainIds());
    assertThat(chains).hasSize(4);

    try (CatenaFile r = client.files().open("/round-trip")) {
      ByteBuffer all = ByteBuffer.allocateDirect(data.length + 100);
      assertThat(r.read(0, all)).isEqualTo(data.length);
      all.flip();
      byte[] back = new byte[data.length];
      all.get(back);
      assertThat(back).isEqualTo(data);

      Random random = new Random(2);
      for (int i = 0; i < 30; i++) {
        int from = random.nextInt(data.length);
        int len = 1 + random.nextInt(3 * CHUNK);
        ByteBuffer dst = ByteBuffer.allocate(len);
        int expected = Math.min(len, data.length - from);
        assertThat(r.read(from, dst)).isEqualTo(expected);
        byte[] want = new byte[expected];
        System.arraycopy(data, from, want, 0, expected);
        byte[] got = new byte[expected];
        dst.flip().get(got);
        assertThat(got).as("range at %d of %d", from, len).isEqualTo(want);
      }
      assertThat(r.read(data.length, ByteBuffer.allocate(10))).isEqualTo(-1);
      // Payloads were copied from gRPC's receive buffers straight into ours.
      assertThat(io.catena.client.storage.DirectReadMarshallerProbe.fromTransport())
          .isGreaterThanOrEqualTo(data.length);
      assertThatThrownBy(() -> r.write(0, ByteBuffer.wrap(new byte[1])))
          .isInstanceOfSatisfying(
              CatenaException.class,
              e -> assertThat(e.code()).isEqualTo(ClientErrorCode.BAD_HANDLE));
    }
  }

  @Test
  void holesAndBytesPastAChunksEndReadAsZeros() {
    try (CatenaFile f =
        client.files().create("/sparse", CreateOptions.defaults().withChunkSize(CHUNK))) {
      f.write(10, ByteBuffer.wrap(new byte[] {1, 2, 3}));
      f.write(5L * CHUNK + 7, ByteBuffer.wrap(new byte[] {9}));
    }
    try (CatenaFile r = client.files().open("/sparse")) {
      assertThat(r.length()).isEqualTo(5L * CHUNK + 8);
      ByteBuffer all = ByteBuffer.allocate((int) r.length());
      for (int i = 0; i < all.capacity(); i++) {
        all.put(i, (byte) 0x55);
      }
      assertThat(r.read(0, all)).isEqualTo(all.capacity());
      byte[] expected = new byte[all.capacity()];
      expected[10] = 1;
      expected[11] = 2;
      expected[12] = 3;
      expected[5 * CHUNK + 7] = 9;
      assertThat(all.array()).isEqualTo(expected);
    }
  }

  @Test
  void aBatchOfReadsAndWritesCompletesThroughFuturesIntoCallerBuffers() throws Exception {
    int files = 4;
    int blocks = 8;
    int block = 40_000;
    CatenaFile[] handles = new CatenaFile[files];
    IoBatch writes = client.newBatch();
    for (int i = 0; i < files; i++) {
      handles[i] =
          client.files().create("/batch-" + i, CreateOptions.defaults().withChunkSize(CHUNK));
      for (int b = 0; b < blocks; b++) {
        ByteBuffer src = ByteBuffer.allocateDirect(block);
        src.put(random(block, i * 100L + b)).flip();
        writes.write(handles[i], (long) b * block, src);
      }
    }
    assertThat(writes.size()).isEqualTo(files * blocks);
    writes.submit().get();
    for (CatenaFile h : handles) {
      h.close();
    }

    IoBatch reads = client.newBatch();
    ByteBuffer arena = ByteBuffer.allocateDirect(files * blocks * block);
    var results = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Integer>>();
    for (int i = 0; i < files; i++) {
      CatenaFile r = client.files().open("/batch-" + i);
      for (int b = blocks - 1; b >= 0; b--) {
        int slot = (i * blocks + b) * block;
        results.add(reads.read(r, (long) b * block, arena.slice(slot, block)));
      }
    }
    CatenaFile closed = client.files().open("/batch-0");
    closed.close();
    CompletableFuture<Integer> refused = reads.read(closed, 0, ByteBuffer.allocate(10));
    assertThatThrownBy(() -> reads.submit().get()).hasCauseInstanceOf(CatenaException.class);
    assertThat(refused).isCompletedExceptionally();
    results.forEach(f -> assertThat(f.join()).isEqualTo(block));
    for (int i = 0; i < files; i++) {
      for (int b = 0; b < blocks; b++) {
        byte[] got = new byte[block];
        arena.get((i * blocks + b) * block, got);
        assertThat(got).isEqualTo(random(block, i * 100L + b));
      }
    }
  }

  @Test
  void namespaceErrorsCarryTheirCode() {
    assertThatThrownBy(() -> client.files().open("/missing"))
        .isInstanceOfSatisfying(
            CatenaException.class, e -> assertThat(e.code()).isEqualTo(ClientErrorCode.NOT_FOUND));
    client.files().create("/exclusive").close();
    assertThatThrownBy(
            () -> client.files().create("/exclusive", CreateOptions.defaults().withExclusive(true)))
        .isInstanceOfSatisfying(
            CatenaException.class,
            e -> assertThat(e.code()).isEqualTo(ClientErrorCode.ALREADY_EXISTS));
    try (CatenaClient stranger =
        CatenaClient.connect(
            cluster.clientConfig("ctn1.999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))) {
      assertThatThrownBy(() -> stranger.files().stat("/"))
          .isInstanceOfSatisfying(
              CatenaException.class,
              e -> assertThat(e.code()).isEqualTo(ClientErrorCode.UNAUTHENTICATED));
    }
  }
}
