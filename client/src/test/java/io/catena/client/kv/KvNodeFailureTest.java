package io.catena.client.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.client.CatenaClient;
import io.catena.client.testing.CatenaTestCluster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A storage daemon dies while batches of KV puts and gets run: every put acknowledged as STORED
 * reads back byte-identical afterwards, and no get of a stored key fails or returns other bytes.
 */
class KvNodeFailureTest {

  static byte[] value(int i) {
    byte[] b = new byte[40_000 + i % 7 * 1000];
    new Random(i).nextBytes(b);
    return b;
  }

  static byte[] key(int i) {
    return ("blk-" + i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aKilledStorageDaemonLosesNoAcknowledgedPut() throws Exception {
    try (CatenaTestCluster cluster =
            CatenaTestCluster.builder().storageNodes(3).replicas(3).chains(6).stripe(3).start();
        CatenaClient client = cluster.newClient();
        KvClient kv = KvClient.open(client)) {
      List<Integer> stored = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger batches = new AtomicInteger();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread workload =
          Thread.ofPlatform()
              .name("kv-workload")
              .start(
                  () -> {
                    int next = 0;
                    try {
                      while (!stop.get()) {
                        List<KvPut> puts = new ArrayList<>();
                        for (int i = 0; i < 8; i++) {
                          int id = next + i;
                          puts.add(
                              KvPut.of(key(id), ByteBuffer.wrap(value(id)))
                                  .after(id == 0 ? new byte[0] : key(id - 1)));
                        }
                        List<KvPutStatus> s = kv.putBatch(puts, false);
                        for (int i = 0; i < s.size(); i++) {
                          if (s.get(i) == KvPutStatus.STORED) {
                            stored.add(next + i);
                          }
                        }
                        next += 8;
                        List<Integer> sample;
                        synchronized (stored) {
                          sample =
                              List.copyOf(
                                  stored.subList(Math.max(0, stored.size() - 16), stored.size()));
                        }
                        List<byte[]> keys = sample.stream().map(KvNodeFailureTest::key).toList();
                        List<ByteBuffer> dsts = new ArrayList<>();
                        sample.forEach(x -> dsts.add(ByteBuffer.allocate(64 * 1024)));
                        int[] n = kv.getBatch(keys, dsts);
                        for (int i = 0; i < sample.size(); i++) {
                          byte[] want = value(sample.get(i));
                          assertThat(n[i]).isEqualTo(want.length);
                          byte[] got = new byte[want.length];
                          dsts.get(i).get(0, got);
                          assertThat(got).isEqualTo(want);
                        }
                        batches.incrementAndGet();
                      }
                    } catch (Throwable t) {
                      failure.set(t);
                    }
                  });
      CatenaTestCluster.await(
          "a few batches before the kill", () -> batches.get() >= 3 || failure.get() != null);
      cluster.kill(2);
      int atKill = batches.get();
      CatenaTestCluster.await(
          "batches to go on after the kill",
          () -> batches.get() >= atKill + 5 || failure.get() != null);
      stop.set(true);
      workload.join(CatenaTestCluster.WAIT_MS);
      assertThat(failure.get()).isNull();
      List<Integer> all;
      synchronized (stored) {
        all = List.copyOf(stored);
      }
      assertThat(all).isNotEmpty();
      for (int id : all) {
        assertThat(kv.get(key(id))).as("stored key %d", id).isEqualTo(value(id));
      }
    }
  }
}
