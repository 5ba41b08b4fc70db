package io.catena.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.client.file.CatenaFile;
import io.catena.client.file.CreateOptions;
import io.catena.client.testing.CatenaTestCluster;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reads go to every SERVING replica of a chain, not only to one (the head or the tail). */
class ReadSpreadTest {

  private static final int CHUNK = 64 * 1024;

  @Test
  void readsOfEveryChainAreSpreadOverAllItsReplicas() throws Exception {
    try (CatenaTestCluster cluster =
            CatenaTestCluster.builder().storageNodes(3).replicas(3).chains(3).stripe(3).start();
        CatenaClient client = cluster.newClient()) {
      byte[] data = new byte[3 * CHUNK];
      new Random(3).nextBytes(data);
      try (CatenaFile f =
          client.files().create("/spread", CreateOptions.defaults().withChunkSize(CHUNK))) {
        f.write(0, ByteBuffer.wrap(data));
      }
      long[][] before = served(cluster);
      try (CatenaFile f = client.files().open("/spread")) {
        // Sequential reads: nothing outstanding, so p2c's draws alone decide.
        for (int i = 0; i < 150; i++) {
          ByteBuffer dst = ByteBuffer.allocateDirect(data.length);
          assertThat(f.read(0, dst)).isEqualTo(data.length);
        }
        // Many reads in flight at once: outstanding counts steer them apart.
        for (int round = 0; round < 5; round++) {
          IoBatch batch = client.newBatch();
          List<CompletableFuture<Integer>> results = new ArrayList<>();
          for (int i = 0; i < 30; i++) {
            results.add(batch.read(f, 0, ByteBuffer.allocateDirect(data.length)));
          }
          batch.submit().get();
          results.forEach(r -> assertThat(r.join()).isEqualTo(data.length));
        }
      }
      // A data-channel read is counted once its bytes are handed to the socket, which can be just
      // after the client has them: wait (bounded) until the daemons have counted all 900.
      long[][] after = served(cluster);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (counted(before, after) < 900 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        after = served(cluster);
      }
      for (int chain = 1; chain <= 3; chain++) {
        long total = 0;
        for (int node = 1; node <= 3; node++) {
          total += after[chain][node] - before[chain][node];
        }
        assertThat(total).as("reads of chain %d", chain).isEqualTo(300);
        for (int node = 1; node <= 3; node++) {
          long share = after[chain][node] - before[chain][node];
          // Even spread gives 100 each; a replica left out (or favoured) would show here.
          assertThat(share).as("reads of chain %d on node %d", chain, node).isBetween(40L, 180L);
        }
      }
    }
  }

  private static long counted(long[][] before, long[][] after) {
    long n = 0;
    for (int chain = 1; chain <= 3; chain++) {
      for (int node = 1; node <= 3; node++) {
        n += after[chain][node] - before[chain][node];
      }
    }
    return n;
  }

  private static long[][] served(CatenaTestCluster cluster) {
    long[][] counts = new long[4][4];
    for (int chain = 1; chain <= 3; chain++) {
      for (int node : cluster.nodesOf(chain)) {
        counts[chain][node] = cluster.readsServed(node, CatenaTestCluster.targetId(node, chain));
      }
    }
    return counts;
  }
}
