package io.catena.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.client.file.CatenaFile;
import io.catena.client.file.CreateOptions;
import io.catena.client.testing.CatenaTestCluster;
import io.catena.protocol.storage.ChunkMetaInfo;
import io.catena.protocol.storage.QueryChunksRequest;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.TargetStat;
import io.catena.protocol.storage.TargetStatsRequest;
import io.catena.storage.server.StorageServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Meta's chunk GC against a real cluster: the chunks of deleted and truncated files leave every
 * replica, and a removal that storage could not take stays queued until it can.
 */
class ChunkGcTest {

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

  @Test
  void deletedFileLosesEveryChunkOnEveryReplica() throws Exception {
    long inode = write(client, "/gc-delete", 5 * CHUNK + 100);
    assertThat(chunksOnReplicas(cluster, inode)).hasSize(6 * 2);
    long usedBefore = usedBytes(cluster);

    client.files().delete("/gc-delete");

    CatenaTestCluster.await(
        "the chunks of the deleted file to leave every replica",
        () -> chunksOnReplicas(cluster, inode).isEmpty());
    CatenaTestCluster.await(
        "the GC queue to drain", () -> cluster.meta().node().collector().pending() == 0);
    assertThat(usedBytes(cluster)).isLessThan(usedBefore);
  }

  @Test
  void truncateRemovesTheChunksPastTheNewLength() throws Exception {
    long inode = write(client, "/gc-truncate", 6 * CHUNK);
    assertThat(chunksOnReplicas(cluster, inode)).hasSize(6 * 2);

    client.files().truncate("/gc-truncate", 2 * CHUNK + 10);

    // Chunks 0, 1 and the partial chunk 2 stay (two replicas each); 3, 4, 5 go.
    CatenaTestCluster.await(
        "chunks past the new length to leave every replica",
        () -> chunksOnReplicas(cluster, inode).size() == 3 * 2);
    assertThat(indexes(chunksOnReplicas(cluster, inode))).containsExactly(0, 1, 2);
    assertThat(client.files().stat("/gc-truncate").length()).isEqualTo(2 * CHUNK + 10);
  }

  @Test
  void removalWhileStorageIsDownStaysQueuedAndCompletesLater() throws Exception {
    try (CatenaTestCluster small =
            CatenaTestCluster.builder()
                .storageNodes(1)
                .replicas(1)
                .chains(2)
                .stripe(2)
                .gcInterval(Duration.ofHours(1))
                .start();
        CatenaClient c = small.newClient()) {
      long inode = write(c, "/gc-retry", 3 * CHUNK);
      assertThat(chunksOnReplicas(small, inode)).hasSize(3);
      small.kill(1);
      // Wait until mgmtd has noticed: otherwise the restart below can happen before mgmtd takes
      // the chain out, and "all serving" would be read from the stale routing of before the kill.
      CatenaTestCluster.await(
          "mgmtd to take the dead node's chains out", () -> !small.allServing());

      c.files().delete("/gc-retry");
      assertThat(small.meta().node().collector().runOnce(16)).isZero();
      assertThat(small.meta().node().collector().pending()).isEqualTo(1);

      small.restart(1);
      small.awaitAllServing();
      CatenaTestCluster.await(
          "the queued removal to complete once storage is back",
          () -> small.meta().node().collector().runOnce(16) == 1);
      assertThat(small.meta().node().collector().pending()).isZero();
      assertThat(chunksOnReplicas(small, inode)).isEmpty();
    }
  }

  private static long write(CatenaClient c, String path, int length) {
    byte[] data = new byte[length];
    new java.util.Random(length).nextBytes(data);
    try (CatenaFile f = c.files().create(path, CreateOptions.defaults().withChunkSize(CHUNK))) {
      assertThat(f.write(0, ByteBuffer.wrap(data))).isEqualTo(length);
      return f.inodeId();
    }
  }

  /** Every committed chunk of {@code inode} on every running replica, one entry per copy. */
  private static java.util.List<ChunkMetaInfo> chunksOnReplicas(CatenaTestCluster c, long inode) {
    java.util.List<ChunkMetaInfo> found = new java.util.ArrayList<>();
    for (int n = 1; n <= c.storageNodes(); n++) {
      StorageServer s = c.storage(n);
      if (s == null) {
        continue;
      }
      ManagedChannel ch = NettyChannelBuilder.forTarget(s.address()).usePlaintext().build();
      try {
        var stub = StorageServiceGrpc.newBlockingStub(ch);
        for (int chain : c.chainsOf(n)) {
          for (ChunkMetaInfo m :
              stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                  .queryChunks(
                      QueryChunksRequest.newBuilder()
                          .setTargetId(CatenaTestCluster.targetId(n, chain))
                          .build())
                  .getChunksList()) {
            if (m.getChunkId().size() == 12
                && m.getChunkId().asReadOnlyByteBuffer().getLong() == inode) {
              found.add(m);
            }
          }
        }
      } finally {
        ch.shutdownNow();
      }
    }
    return found;
  }

  private static Set<Integer> indexes(java.util.List<ChunkMetaInfo> chunks) {
    Set<Integer> out = new TreeSet<>();
    for (ChunkMetaInfo m : chunks) {
      ByteBuffer b = m.getChunkId().asReadOnlyByteBuffer();
      out.add(b.getInt(8));
    }
    return out;
  }

  private static long usedBytes(CatenaTestCluster c) {
    long used = 0;
    for (int n = 1; n <= c.storageNodes(); n++) {
      StorageServer s = c.storage(n);
      ManagedChannel ch = NettyChannelBuilder.forTarget(s.address()).usePlaintext().build();
      try {
        for (TargetStat t :
            StorageServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .targetStats(TargetStatsRequest.getDefaultInstance())
                .getTargetsList()) {
          used += t.getChunkBytes();
        }
      } finally {
        ch.shutdownNow();
      }
    }
    return used;
  }
}
