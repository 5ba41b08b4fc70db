package io.catena.controlplane.ops;

import static io.catena.controlplane.ops.LocalStorageCluster.await;
import static io.catena.controlplane.ops.LocalStorageCluster.nodesOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.ops.cluster.ClusterSnapshot;
import io.catena.controlplane.ops.safety.SelfHealPolicy;
import io.catena.storage.chunk.ChunkId;
import io.catena.topology.Chain;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetPublicState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations against a real mgmtd and real storage daemons on loopback: repair, drain (refused and
 * done), rolling restart (refused and done), self-healing and scale-out under writes.
 */
class OperationsOnLiveClusterTest {

  private static final Duration WAIT = Duration.ofMinutes(3);

  @TempDir Path root;

  private LocalStorageCluster cluster;
  private OpsRuntime ops;

  @AfterEach
  void tearDown() {
    if (ops != null) {
      ops.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start(int nodes, int chains, SelfHealPolicy.Limits healing, boolean healPaused)
      throws InterruptedException {
    cluster = new LocalStorageCluster(root.resolve("cluster"));
    cluster.bootstrap(nodes, chains, 3);
    ops =
        new OpsRuntime(
            new OpsRuntime.Config(
                root.resolve("control-plane"),
                cluster.admin,
                cluster.hosts,
                cluster.provisioner(),
                cluster.restarter(),
                OpsSettings.defaults()
                    .withPollInterval(Duration.ofMillis(100))
                    .withStepTimeout(Duration.ofMinutes(2)),
                healing,
                healPaused,
                Duration.ofMillis(500),
                Duration.ofMillis(300)),
            Clock.systemUTC());
  }

  private void start(int nodes, int chains) throws InterruptedException {
    start(nodes, chains, new SelfHealPolicy.Limits(Duration.ofHours(1), 1, 1), true);
  }

  /** Writes one chunk of random bytes to each chain; returns what each chunk must hold. */
  private Map<Integer, byte[]> writeEveryChain(int chains, long seed) throws InterruptedException {
    Random random = new Random(seed);
    Map<Integer, byte[]> data = new HashMap<>();
    for (int c = 1; c <= chains; c++) {
      byte[] bytes = new byte[100_000 + random.nextInt(200_000)];
      random.nextBytes(bytes);
      assertThat(cluster.write(c, ChunkId.of(seed, c), bytes, seed * 1000 + c, 60_000)).isTrue();
      data.put(c, bytes);
    }
    return data;
  }

  /** Every replica of every chain holds exactly the acknowledged bytes. */
  private void assertEveryReplicaHolds(Map<Integer, byte[]> data, long seed) {
    ClusterTopology topo = cluster.snapshot().topology();
    for (Map.Entry<Integer, byte[]> e : data.entrySet()) {
      Chain chain = topo.chain(io.catena.topology.ChainId.of(e.getKey()));
      for (TargetId t : chain.targets()) {
        assertThat(cluster.read(t.value(), ChunkId.of(seed, e.getKey())))
            .as("chain %d replica %s", e.getKey(), t)
            .isEqualTo(e.getValue());
      }
    }
  }

  private void awaitOffline(int node) throws InterruptedException {
    await(
        "node " + node + "'s targets to go OFFLINE",
        () -> {
          ClusterTopology topo = cluster.snapshot().topology();
          return topo.targetsOn(NodeId.of(node)).stream()
              .filter(t -> topo.chainOf(t.id()).isPresent())
              .allMatch(t -> t.publicState() == TargetPublicState.OFFLINE);
        });
  }

  @Test
  void aRepairReturnsTheChainToFullStrengthOnAnotherNode() throws Exception {
    start(4, 4);
    Map<Integer, byte[]> data = writeEveryChain(4, 1);
    cluster.kill(4);
    awaitOffline(4);
    ClusterTopology topo = cluster.snapshot().topology();
    Target failed =
        topo.targetsOn(NodeId.of(4)).stream()
            .filter(t -> topo.chainOf(t.id()).isPresent())
            .findFirst()
            .orElseThrow();
    int chain = topo.chainOf(failed.id()).orElseThrow().value();

    OperationView plan =
        ops.operations().plan(new OperationRequest.Repair(failed.id().value()), "alice", false);
    assertThat(plan.state()).as(plan.message()).isEqualTo(OperationState.PLANNED);
    assertThat(plan.steps()).isNotEmpty();
    assertThat(plan.bytesToMove()).isGreaterThan(0);
    ops.operations().approve(plan.id(), "alice");
    OperationView done = ops.operations().await(plan.id(), WAIT);
    assertThat(done.state()).as(done.message()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(done.progress()).isEqualTo(1.0);

    ClusterSnapshot after = cluster.snapshot();
    assertThat(after.fullStrength(io.catena.topology.ChainId.of(chain), 3)).isTrue();
    assertThat(nodesOf(after.topology(), chain)).doesNotContain(4).doesNotHaveDuplicates();
    assertThat(after.topology().findTarget(failed.id())).isEmpty();
    assertEveryReplicaHolds(Map.of(chain, data.get(chain)), 1);
    assertThat(ops.operations().audit().recent(0))
        .extracting(AuditEntry::outcome)
        .containsSubsequence("PLANNED", "RUNNING", "SUCCEEDED");
  }

  @Test
  void aDrainIsRefusedWhileAChainOnTheNodeIsDegradedAndDoneWhenHealthy() throws Exception {
    start(4, 4);
    Map<Integer, byte[]> data = writeEveryChain(4, 2);
    cluster.kill(4);
    awaitOffline(4);
    OperationView refused =
        ops.operations().plan(new OperationRequest.Drain(1, false), "bob", true);
    assertThat(refused.state()).isEqualTo(OperationState.REFUSED);
    assertThat(refused.message()).contains("chain-3").contains("chain-4").contains("R-1=2");

    cluster.start(4);
    await("node 4 to rejoin", cluster::allChainsFull);
    List<Long> drained =
        cluster.snapshot().topology().targetsOn(NodeId.of(1)).stream()
            .map(t -> t.id().value())
            .toList();
    OperationView drain = ops.operations().plan(new OperationRequest.Drain(1, false), "bob", true);
    assertThat(drain.state()).as(drain.message()).isEqualTo(OperationState.RUNNING);
    OperationView done = ops.operations().await(drain.id(), WAIT);
    assertThat(done.state()).as(done.message()).isEqualTo(OperationState.SUCCEEDED);
    ClusterTopology topo = cluster.snapshot().topology();
    for (int c = 1; c <= 4; c++) {
      assertThat(nodesOf(topo, c)).doesNotContain(1).hasSize(3).doesNotHaveDuplicates();
    }
    assertThat(cluster.allChainsFull()).isTrue();
    assertEveryReplicaHolds(data, 2);
    // the drained replicas left mgmtd and their data left the disk
    for (long t : drained) {
      assertThat(topo.findTarget(TargetId.of(t))).isEmpty();
      assertThat(java.nio.file.Files.exists(root.resolve("cluster/node-1/catena/targets/" + t)))
          .as("target %d's directory", t)
          .isFalse();
    }
  }

  @Test
  void aRollingRestartIsRefusedWhenAChainWouldStopAndRunsNodeByNodeOtherwise() throws Exception {
    start(3, 3);
    Map<Integer, byte[]> data = writeEveryChain(3, 3);
    cluster.kill(2);
    cluster.kill(3);
    awaitOffline(2);
    awaitOffline(3);
    OperationView refused =
        ops.operations()
            .plan(new OperationRequest.RollingRestart(List.of("node-1")), "carol", true);
    assertThat(refused.state()).isEqualTo(OperationState.REFUSED);
    assertThat(refused.message()).contains("no serving replica");

    cluster.start(2);
    cluster.start(3);
    await("every replica back", cluster::allChainsFull);
    OperationView restart =
        ops.operations().plan(new OperationRequest.RollingRestart(List.of()), "carol", true);
    OperationView done = ops.operations().await(restart.id(), WAIT);
    assertThat(done.state()).as(done.message()).isEqualTo(OperationState.SUCCEEDED);
    // node-1 plays the mgmtd primary's host: restarted last
    assertThat(cluster.restarts).containsExactly("node-2", "node-3", "node-1");
    assertThat(cluster.allChainsFull()).isTrue();
    assertEveryReplicaHolds(data, 3);
  }

  @Test
  void selfHealingRepairsAStorageDaemonThatStaysDeadPastTheTimeout() throws Exception {
    start(4, 4, new SelfHealPolicy.Limits(Duration.ofSeconds(3), 2, 10), false);
    Map<Integer, byte[]> data = writeEveryChain(4, 4);
    ops.start();
    cluster.kill(4);
    awaitOffline(4);
    await(
        "self-healing to return every chain to full strength off node 4",
        () -> {
          if (!cluster.allChainsFull()) {
            return false;
          }
          ClusterTopology topo = cluster.snapshot().topology();
          for (int c = 1; c <= 4; c++) {
            if (nodesOf(topo, c).contains(4)) {
              return false;
            }
          }
          return true;
        });
    // A repair's chain is whole once the failed replica leaves it; the operation ends just after.
    await(
        "every self-healing operation to end",
        () ->
            ops.operations().list(false).stream()
                .filter(o -> o.kind() == OperationKind.SELF_HEAL)
                .allMatch(o -> o.state().isFinal()));
    List<OperationView> heals =
        ops.operations().list(false).stream()
            .filter(o -> o.kind() == OperationKind.SELF_HEAL)
            .toList();
    assertThat(heals).isNotEmpty();
    assertThat(heals)
        .filteredOn(o -> o.state() == OperationState.SUCCEEDED)
        .hasSize(3); // node 4 held a replica of three chains
    assertThat(ops.operations().audit().recent(0))
        .filteredOn(a -> a.who().equals("self-healing"))
        .extracting(AuditEntry::outcome)
        .contains("RUNNING", "SUCCEEDED");
    assertEveryReplicaHolds(data, 4);

    // Paused, it only watches: a second failure is left alone.
    ops.selfHealer().setPaused(true, "erin");
    int before = ops.operations().list(false).size();
    cluster.kill(3);
    awaitOffline(3);
    Thread.sleep(4000); // past the 3 s timeout: the paused healer must not have acted
    assertThat(ops.operations().list(false)).hasSize(before);
    assertThat(ops.selfHealer().state().paused()).isTrue();
  }

  @Test
  void scaleOutMigratesReplicasOnlineWithoutLosingAnAcknowledgedWrite() throws Exception {
    start(3, 6);
    Map<Integer, byte[]> data = writeEveryChain(6, 5);
    Map<String, byte[]> acked = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong seq = new AtomicLong(1_000_000);
    List<Throwable> writerErrors = new ArrayList<>();
    Thread writer =
        Thread.ofPlatform()
            .name("ops-test-writer")
            .start(
                () -> {
                  Random random = new Random(11);
                  int i = 0;
                  try {
                    while (!stop.get()) {
                      int chain = 1 + (i % 6);
                      byte[] bytes = new byte[4096 + random.nextInt(60_000)];
                      random.nextBytes(bytes);
                      long s = seq.incrementAndGet();
                      if (cluster.write(chain, ChunkId.of(99, i), bytes, s, 60_000)) {
                        acked.put(chain + ":" + i, bytes);
                      }
                      i++;
                    }
                  } catch (Throwable t) {
                    writerErrors.add(t);
                  }
                });

    OperationView plan =
        ops.operations().plan(new OperationRequest.ScaleOut(2, 1, "migrate"), "dave", false);
    assertThat(plan.state()).as(plan.message()).isEqualTo(OperationState.PLANNED);
    assertThat(plan.summary()).contains("2 waves");
    ops.operations().approve(plan.id(), "dave");
    OperationView done = ops.operations().await(plan.id(), WAIT);
    stop.set(true);
    writer.join(120_000);
    assertThat(writerErrors).isEmpty();
    assertThat(done.state()).as(done.message()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(acked).isNotEmpty();

    ClusterSnapshot after = cluster.snapshot();
    assertThat(cluster.allChainsFull()).isTrue();
    Map<Integer, Integer> perNode = new HashMap<>();
    for (Chain c : after.topology().chains()) {
      for (TargetId t : c.targets()) {
        perNode.merge(after.topology().target(t).node().value(), 1, Integer::sum);
      }
    }
    assertThat(perNode.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    int min = perNode.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
    int max = perNode.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    assertThat(max - min).as("replicas per node %s", perNode).isLessThanOrEqualTo(1);

    assertEveryReplicaHolds(data, 5);
    for (Map.Entry<String, byte[]> e : acked.entrySet()) {
      String[] k = e.getKey().split(":");
      int chain = Integer.parseInt(k[0]);
      for (TargetId t : after.topology().chain(io.catena.topology.ChainId.of(chain)).targets()) {
        assertThat(cluster.read(t.value(), ChunkId.of(99, Integer.parseInt(k[1]))))
            .as("acknowledged write %s on %s", e.getKey(), t)
            .isEqualTo(e.getValue());
      }
    }
  }
}
