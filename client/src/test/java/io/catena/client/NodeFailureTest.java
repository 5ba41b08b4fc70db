package io.catena.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.client.file.CatenaFile;
import io.catena.client.file.CreateOptions;
import io.catena.client.testing.CatenaTestCluster;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.PublicState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage daemon dies while batches of reads and writes run: every I/O still succeeds (reads move
 * to other replicas at once, writes wait for mgmtd to reconfigure the chain and retry at the new
 * head), every acknowledged write reads back byte-identical, also after the dead daemon came back
 * and synced.
 */
class NodeFailureTest {

  private static final Logger log = LoggerFactory.getLogger(NodeFailureTest.class);
  private static final int CHUNK = 64 * 1024;
  private static final int BLOCK = 50_000;
  private static final int SEED_FILES = 6;
  private static final int SEED_BYTES = 6 * CHUNK;

  private static byte[] content(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private record Acked(String path, long offset, long seed) {}

  @Test
  void aStorageDaemonKilledDuringBatchesLosesNoAcknowledgedWriteAndFailsNoRead() throws Exception {
    try (CatenaTestCluster cluster =
            CatenaTestCluster.builder().storageNodes(3).replicas(3).chains(6).stripe(4).start();
        CatenaClient client = cluster.newClient()) {
      CreateOptions options = CreateOptions.defaults().withChunkSize(CHUNK);
      byte[][] seeded = new byte[SEED_FILES][];
      for (int i = 0; i < SEED_FILES; i++) {
        seeded[i] = content(1000 + i, SEED_BYTES);
        try (CatenaFile f = client.files().create("/seed-" + i, options)) {
          f.write(0, ByteBuffer.wrap(seeded[i]));
        }
      }
      List<CatenaFile> readers = new ArrayList<>();
      for (int i = 0; i < SEED_FILES; i++) {
        readers.add(client.files().open("/seed-" + i));
      }
      int writers = 4;
      List<CatenaFile> outputs = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        outputs.add(client.files().create("/during-" + w, options));
      }

      List<Acked> acked = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger batches = new AtomicInteger();
      AtomicLong slowestMs = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread workload =
          Thread.ofPlatform()
              .name("workload")
              .start(
                  () -> {
                    Random random = new Random(5);
                    long[] next = new long[writers];
                    try {
                      while (!stop.get()) {
                        IoBatch batch = client.newBatch();
                        List<CompletableFuture<Integer>> reads = new ArrayList<>();
                        List<ByteBuffer> dsts = new ArrayList<>();
                        List<int[]> where = new ArrayList<>();
                        for (int r = 0; r < 12; r++) {
                          int file = random.nextInt(SEED_FILES);
                          int at = random.nextInt(SEED_BYTES - 1);
                          int len = 1 + random.nextInt(Math.min(2 * CHUNK, SEED_BYTES - at));
                          ByteBuffer dst = ByteBuffer.allocateDirect(len);
                          dsts.add(dst);
                          where.add(new int[] {file, at, len});
                          reads.add(batch.read(readers.get(file), at, dst));
                        }
                        List<CompletableFuture<Integer>> writes = new ArrayList<>();
                        List<Acked> pending = new ArrayList<>();
                        for (int w = 0; w < writers; w++) {
                          long seed = w * 1_000_000L + next[w];
                          ByteBuffer src = ByteBuffer.allocateDirect(BLOCK);
                          src.put(content(seed, BLOCK)).flip();
                          writes.add(batch.write(outputs.get(w), next[w], src));
                          pending.add(new Acked("/during-" + w, next[w], seed));
                          next[w] += BLOCK;
                        }
                        long start = System.nanoTime();
                        batch.submit().get(5, TimeUnit.MINUTES);
                        slowestMs.accumulateAndGet(
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
                        for (int r = 0; r < reads.size(); r++) {
                          int[] w = where.get(r);
                          assertThat(reads.get(r).join()).isEqualTo(w[2]);
                          byte[] got = new byte[w[2]];
                          dsts.get(r).get(0, got);
                          byte[] want = new byte[w[2]];
                          System.arraycopy(seeded[w[0]], w[1], want, 0, w[2]);
                          assertThat(got).isEqualTo(want);
                        }
                        for (int w = 0; w < writers; w++) {
                          assertThat(writes.get(w).join()).isEqualTo(BLOCK);
                        }
                        synchronized (acked) {
                          acked.addAll(pending);
                        }
                        batches.incrementAndGet();
                      }
                    } catch (Throwable t) {
                      failure.set(t);
                    }
                  });

      CatenaTestCluster.await(
          "a few batches before the failure", () -> batches.get() >= 3 || failure.get() != null);
      int victim = 2;
      long killedAt = System.nanoTime();
      cluster.kill(victim);
      CatenaTestCluster.await(
          "mgmtd to take the dead daemon's targets out",
          () ->
              cluster.routing().getChainsList().stream()
                  .flatMap(c -> c.getMembersList().stream())
                  .filter(m -> m.getTargetId() / 1000 == victim)
                  .map(ChainMember::getPublicState)
                  .allMatch(s -> s != PublicState.SERVING));
      long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      int atDetection = batches.get();
      CatenaTestCluster.await(
          "batches to go on after the reconfiguration",
          () -> batches.get() >= atDetection + 5 || failure.get() != null);
      stop.set(true);
      workload.join(TimeUnit.MINUTES.toMillis(5));
      assertThat(failure.get()).as("the workload failed").isNull();
      log.info(
          "failure detected after {} ms; {} batches; slowest batch {} ms",
          detectedMs,
          batches.get(),
          slowestMs.get());
      System.out.printf(
          "node failure: detected in %d ms, %d batches, slowest batch %d ms%n",
          detectedMs, batches.get(), slowestMs.get());
      for (CatenaFile f : outputs) {
        f.close();
      }

      verify(cluster, acked);
      cluster.restart(victim);
      cluster.awaitAllServing();
      verify(cluster, acked);
    }
  }

  /** Every acknowledged block, read through a fresh client, is byte-identical. */
  private static void verify(CatenaTestCluster cluster, List<Acked> acked) throws Exception {
    try (CatenaClient fresh = cluster.newClient()) {
      Map<String, CatenaFile> open = new ConcurrentHashMap<>();
      IoBatch batch = fresh.newBatch();
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      List<ByteBuffer> dsts = new ArrayList<>();
      for (Acked a : acked) {
        CatenaFile f = open.computeIfAbsent(a.path(), p -> fresh.files().open(p));
        ByteBuffer dst = ByteBuffer.allocateDirect(BLOCK);
        dsts.add(dst);
        results.add(batch.read(f, a.offset(), dst));
      }
      batch.submit().get(5, TimeUnit.MINUTES);
      for (int i = 0; i < acked.size(); i++) {
        assertThat(results.get(i).join()).isEqualTo(BLOCK);
        byte[] got = new byte[BLOCK];
        dsts.get(i).get(0, got);
        assertThat(got).as("block %s", acked.get(i)).isEqualTo(content(acked.get(i).seed(), BLOCK));
      }
      assertThat(acked).isNotEmpty();
    }
  }
}
