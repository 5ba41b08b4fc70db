package io.catena.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.client.file.CatenaFile;
import io.catena.client.file.CreateOptions;
import io.catena.client.routing.ChainRoute;
import io.catena.client.routing.Replica;
import io.catena.client.routing.ReplicaState;
import io.catena.client.testing.CatenaTestCluster;
import io.catena.storage.chain.FaultPoint;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An operator takes a chain's head out and lets it back: the client's routing follows each chain
 * version, writes move to the new head, reads avoid the removed replica, and after it synced back
 * it serves reads again with the data written while it was out.
 */
class ChainReconfigurationTest {

  private static final int CHUNK = 64 * 1024;

  @Test
  void theClientFollowsAHeadLeavingAndRejoiningItsChain() throws Exception {
    try (CatenaTestCluster cluster =
            CatenaTestCluster.builder().storageNodes(3).replicas(3).chains(3).stripe(3).start();
        CatenaClient client = cluster.newClient()) {
      byte[] first = new byte[3 * CHUNK];
      Arrays.fill(first, (byte) 1);
      try (CatenaFile f =
          client.files().create("/moving", CreateOptions.defaults().withChunkSize(CHUNK))) {
        f.write(0, ByteBuffer.wrap(first));
      }
      CatenaFile file = client.files().open("/moving", true);
      int chain = file.layout().chainOfChunk(0);
      ChainRoute before = client.routing().current().chain(chain).orElseThrow();
      Replica oldHead = before.head().orElseThrow();

      cluster.setTargetOnline(oldHead.targetId(), false);
      CatenaTestCluster.await(
          "the client to see the head leave",
          () -> {
            ChainRoute now = client.routing().current().chain(chain).orElseThrow();
            return now.version() > before.version()
                && now.head().map(h -> h.targetId() != oldHead.targetId()).orElse(false)
                && now.members().stream()
                    .anyMatch(
                        m ->
                            m.targetId() == oldHead.targetId()
                                && m.state() == ReplicaState.OFFLINE);
          });

      byte[] second = new byte[CHUNK];
      Arrays.fill(second, (byte) 2);
      assertThat(file.write(0, ByteBuffer.wrap(second))).isEqualTo(CHUNK);
      long servedByOldHead = cluster.readsServed(oldHead.nodeId(), oldHead.targetId());
      for (int i = 0; i < 60; i++) {
        ByteBuffer dst = ByteBuffer.allocate(CHUNK);
        assertThat(file.read(0, dst)).isEqualTo(CHUNK);
        assertThat(dst.array()).isEqualTo(second);
      }
      assertThat(cluster.readsServed(oldHead.nodeId(), oldHead.targetId()))
          .as("reads sent to the replica taken out")
          .isEqualTo(servedByOldHead);

      cluster.setTargetOnline(oldHead.targetId(), true);
      cluster.awaitAllServing();
      CatenaTestCluster.await(
          "the client to see every member serving",
          () -> client.routing().current().chain(chain).orElseThrow().readable().size() == 3);
      CatenaTestCluster.await(
          "reads to reach the rejoined replica",
          () -> {
            ByteBuffer dst = ByteBuffer.allocate(CHUNK);
            file.read(0, dst);
            assertThat(dst.array()).isEqualTo(second);
            return cluster.readsServed(oldHead.nodeId(), oldHead.targetId()) > servedByOldHead;
          });
      file.close();
      assertThat(client.files().stat("/moving").length()).isEqualTo(3L * CHUNK);
    }
  }

  @Test
  void aWriteHungAtAHeadThatMgmtdDeclaresDeadMovesToTheNewHeadWithoutWaitingOutItsDeadline()
      throws Exception {
    try (CatenaTestCluster cluster =
            CatenaTestCluster.builder().storageNodes(3).replicas(3).chains(3).stripe(3).start();
        CatenaClient client =
            CatenaClient.connect(cluster.clientConfig().withCallTimeout(Duration.ofMinutes(10)))) {
      CatenaFile file =
          client.files().create("/hung", CreateOptions.defaults().withChunkSize(CHUNK));
      int chain = file.layout().chainOfChunk(0);
      Replica head = client.routing().current().chain(chain).orElseThrow().head().orElseThrow();
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      cluster
          .storage(head.nodeId())
          .replicator()
          .setFaultInjector(
              (point, target, chunk) -> {
                if (point == FaultPoint.BEFORE_STAGE && target == head.targetId()) {
                  entered.countDown();
                  try {
                    release.await(5, TimeUnit.MINUTES);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              });
      try {
        byte[] data = new byte[CHUNK];
        Arrays.fill(data, (byte) 7);
        CompletableFuture<Integer> write = file.writeAsync(0, ByteBuffer.wrap(data));
        assertThat(entered.await(2, TimeUnit.MINUTES)).as("the write reached the head").isTrue();
        cluster.stopHeartbeats(head.nodeId());
        // The head stays hung until the write completed: only a retry at the new head can end it.
        assertThat(write.get(2, TimeUnit.MINUTES)).isEqualTo(CHUNK);
        assertThat(client.routing().current().chain(chain).orElseThrow().head().orElseThrow())
            .isNotEqualTo(head);
        ByteBuffer back = ByteBuffer.allocate(CHUNK);
        assertThat(file.read(0, back)).isEqualTo(CHUNK);
        assertThat(back.array()).isEqualTo(data);
      } finally {
        release.countDown();
      }
      file.close();
    }
  }
}
