package io.catena.mgmtd.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.kv.KvEngine;
import io.catena.kv.memory.MemoryKvEngine;
import io.catena.mgmtd.ManualClock;
import io.catena.mgmtd.store.MgmtdStore;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.DaemonKind;
import io.catena.protocol.mgmtd.DaemonStatus;
import io.catena.protocol.mgmtd.DiskInfo;
import io.catena.protocol.mgmtd.HeartbeatRequest;
import io.catena.protocol.mgmtd.LocalState;
import io.catena.protocol.mgmtd.LocalTargetReport;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.mgmtd.UpdateChainRequest;
import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.TargetId;
import io.catena.topology.TargetPublicState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * mgmtd's cluster state over a memory KvEngine with a manual clock: membership and failure
 * detection, the chain reconfiguration they cause, admin rules, persistence and fencing.
 */
class ClusterManagerTest {

  private static final MgmtdSettings SETTINGS = MgmtdSettings.local();
  private static final long TIMEOUT_MS = SETTINGS.heartbeatTimeout().toMillis();

  private final ManualClock clock = new ManualClock();
  private KvEngine kv;
  private MgmtdStore store;
  private ClusterManager cluster;

  @BeforeEach
  void startPrimary() {
    kv = MemoryKvEngine.create();
    store = new MgmtdStore(kv);
    cluster = primary("m1");
  }

  @AfterEach
  void closeKv() {
    kv.close();
  }

  private ClusterManager primary(String id) {
    store.acquireLease(id, id + ":1", clock.millis(), 3_600_000);
    ClusterManager manager = new ClusterManager(store, clock, SETTINGS, id);
    manager.load();
    return manager;
  }

  /** Three nodes, two targets each, two chains of three replicas in table 1. */
  private void threeNodeCluster() {
    List<TargetInfo> targets = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      cluster.addNode(
          NodeInfo.newBuilder()
              .setNodeId(n)
              .setAddress("127.0.0.1:" + (9000 + n))
              .putLabels("rack", "r" + n)
              .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(1 << 30))
              .build());
      for (int slot = 0; slot < 2; slot++) {
        targets.add(
            TargetInfo.newBuilder()
                .setTargetId(target(n, slot))
                .setNodeId(n)
                .setDisk(0)
                .setCapacityBytes(1 << 29)
                .build());
      }
    }
    cluster.createTargets(targets);
    cluster.setChainTable(
        1,
        List.of(
            chainSpec(1, target(1, 0), target(2, 0), target(3, 0)),
            chainSpec(2, target(2, 1), target(3, 1), target(1, 1))));
    for (int n = 1; n <= 3; n++) {
      heartbeat(n, LocalState.UPTODATE);
    }
  }

  private static long target(int node, int slot) {
    return node * 100L + slot;
  }

  private static ChainSpec chainSpec(int id, long... targets) {
    ChainSpec.Builder b = ChainSpec.newBuilder().setChainId(id);
    for (long t : targets) {
      b.addTargetIds(t);
    }
    return b.build();
  }

  /** A heartbeat from a daemon that has applied the current routing. */
  private long heartbeat(int node, LocalState state) {
    return heartbeat(node, state, Map.of());
  }

  /**
   * A heartbeat reporting {@code state} for both of the node's targets, each decided against its
   * chain's current version unless {@code versions} names another.
   */
  private long heartbeat(int node, LocalState state, Map<Long, Long> versions) {
    HeartbeatRequest.Builder b =
        HeartbeatRequest.newBuilder()
            .setDaemonId("storage-" + node)
            .setKind(DaemonKind.STORAGE)
            .setAddress("127.0.0.1:" + (9000 + node))
            .setNodeId(node);
    ClusterTopology topo = cluster.topology();
    for (int slot = 0; slot < 2; slot++) {
      long id = target(node, slot);
      long current =
          topo.chainOf(TargetId.of(id)).map(c -> (long) topo.chain(c).version()).orElse(0L);
      b.addTargets(
          LocalTargetReport.newBuilder()
              .setTargetId(id)
              .setLocalState(state)
              .setChainVersion(versions.getOrDefault(id, current))
              .setUsedBytes(4096));
    }
    return cluster.heartbeat(b.build());
  }

  private Map<TargetId, TargetPublicState> states(ClusterManager manager, int chain) {
    ClusterTopology t = manager.topology();
    Chain c = t.chain(ChainId.of(chain));
    Map<TargetId, TargetPublicState> result = new java.util.LinkedHashMap<>();
    c.targets().forEach(id -> result.put(id, t.target(id).publicState()));
    return result;
  }

  @Test
  void aNewChainServesFromEveryReplica() {
    threeNodeCluster();
    assertThat(states(cluster, 1).values()).containsOnly(TargetPublicState.SERVING);
    assertThat(cluster.topology().chain(ChainId.of(1)).version()).isEqualTo(1);
    assertThat(cluster.daemons()).hasSize(3).allMatch(d -> d.status() == DaemonStatus.CONNECTED);
  }

  @Test
  void aSilentStorageDaemonFailsAndItsTargetsMoveToTheTailAsOffline() {
    threeNodeCluster();
    long before = cluster.routingVersion();
    clock.advance(Duration.ofMillis(TIMEOUT_MS / 2));
    heartbeat(1, LocalState.UPTODATE);
    heartbeat(2, LocalState.UPTODATE);
    clock.advance(Duration.ofMillis(TIMEOUT_MS / 2 + 1));
    cluster.checkLiveness();
    assertThat(cluster.daemons())
        .filteredOn(d -> d.id().equals("storage-3"))
        .singleElement()
        .extracting(Daemon::status)
        .isEqualTo(DaemonStatus.FAILED);

    Chain chain1 = cluster.topology().chain(ChainId.of(1));
    assertThat(chain1.targets())
        .containsExactly(TargetId.of(100), TargetId.of(200), TargetId.of(300));
    assertThat(states(cluster, 1).get(TargetId.of(300))).isEqualTo(TargetPublicState.OFFLINE);
    // chain 2 had node 3's target in the middle: it moves to the tail.
    assertThat(cluster.topology().chain(ChainId.of(2)).targets())
        .containsExactly(TargetId.of(201), TargetId.of(101), TargetId.of(301));
    assertThat(chain1.version()).isEqualTo(2);
    assertThat(cluster.routingVersion()).isGreaterThan(before);
  }

  @Test
  void aReturningTargetSyncsThenServes() {
    threeNodeCluster();
    clock.advance(Duration.ofMillis(TIMEOUT_MS + 1));
    heartbeat(1, LocalState.UPTODATE);
    heartbeat(2, LocalState.UPTODATE);
    cluster.checkLiveness();
    assertThat(states(cluster, 1).get(TargetId.of(300))).isEqualTo(TargetPublicState.OFFLINE);

    heartbeat(3, LocalState.ONLINE);
    assertThat(states(cluster, 1).get(TargetId.of(300))).isEqualTo(TargetPublicState.SYNCING);
    heartbeat(3, LocalState.UPTODATE);
    assertThat(states(cluster, 1).values()).containsOnly(TargetPublicState.SERVING);
    assertThat(cluster.daemons()).allMatch(d -> d.status() == DaemonStatus.CONNECTED);
  }

  @Test
  void aHeadLetBackInAtOnceSyncsBeforeServingWhateverItsLastReportSaid() {
    threeNodeCluster();
    long servedAt = cluster.topology().chain(ChainId.of(1)).version();
    // The control plane moves the head to the tail: out of service, then straight back in,
    // before node 1's daemon has reported anything since.
    cluster.setTargetAdminState(100, false);
    cluster.setTargetAdminState(100, true);
    assertThat(states(cluster, 1).get(TargetId.of(100))).isEqualTo(TargetPublicState.SYNCING);

    // Other daemons' heartbeats re-evaluate the chain; node 1's report still predates the move,
    // and a late heartbeat carries the same: neither is a finished sync.
    heartbeat(2, LocalState.UPTODATE);
    heartbeat(1, LocalState.UPTODATE, Map.of(100L, servedAt));
    heartbeat(3, LocalState.UPTODATE);
    assertThat(states(cluster, 1).get(TargetId.of(100))).isEqualTo(TargetPublicState.SYNCING);

    // Its daemon saw itself SYNCING, was synced, and says so at the current version: it serves.
    heartbeat(1, LocalState.UPTODATE);
    assertThat(states(cluster, 1).values()).containsOnly(TargetPublicState.SERVING);
    assertThat(cluster.topology().chain(ChainId.of(1)).targets())
        .containsExactly(TargetId.of(200), TargetId.of(300), TargetId.of(100));
  }

  @Test
  void whenEveryReplicaFailsTheLastServingOneIsKnownAndNoStaleReplicaIsPromoted() {
    threeNodeCluster();
    clock.advance(Duration.ofMillis(TIMEOUT_MS + 1));
    cluster.checkLiveness();
    Map<TargetId, TargetPublicState> chain1 = states(cluster, 1);
    assertThat(chain1.values())
        .containsExactly(
            TargetPublicState.LASTSRV, TargetPublicState.OFFLINE, TargetPublicState.OFFLINE);

    // Another replica returns first: it must wait, the chain stays unavailable.
    heartbeat(2, LocalState.UPTODATE);
    assertThat(states(cluster, 1).get(TargetId.of(200))).isEqualTo(TargetPublicState.WAITING);
    assertThat(states(cluster, 1).values()).doesNotContain(TargetPublicState.SERVING);

    // The LASTSRV replica's node returns: it serves, and the waiting one syncs from it.
    heartbeat(1, LocalState.ONLINE);
    assertThat(states(cluster, 1).get(TargetId.of(100))).isEqualTo(TargetPublicState.SERVING);
    assertThat(states(cluster, 1).get(TargetId.of(200))).isEqualTo(TargetPublicState.SYNCING);
  }

  @Test
  void aRestartedPrimaryResumesExactlyWhereTheOldOneStopped() {
    threeNodeCluster();
    clock.advance(Duration.ofMillis(TIMEOUT_MS + 1));
    heartbeat(1, LocalState.UPTODATE);
    heartbeat(2, LocalState.UPTODATE);
    cluster.checkLiveness();
    ClusterManager restarted = new ClusterManager(store, clock, SETTINGS, "m1");
    restarted.load();
    assertThat(restarted.routingVersion()).isEqualTo(cluster.routingVersion());
    assertThat(List.copyOf(restarted.topology().chains()))
        .isEqualTo(List.copyOf(cluster.topology().chains()));
    assertThat(states(restarted, 1)).isEqualTo(states(cluster, 1));
    assertThat(restarted.chainTableVersions()).isEqualTo(cluster.chainTableVersions());
    assertThat(restarted.daemons())
        .extracting(Daemon::id)
        .containsExactly("storage-1", "storage-2", "storage-3");
  }

  @Test
  void aDeposedPrimaryCannotWrite() {
    threeNodeCluster();
    clock.advance(Duration.ofHours(2));
    store.acquireLease("m2", "m2:1", clock.millis(), 60_000);
    assertThatThrownBy(() -> heartbeat(1, LocalState.LOCAL_OFFLINE))
        .isInstanceOf(MgmtdException.class)
        .extracting(e -> ((MgmtdException) e).code())
        .isEqualTo(ErrorCode.NOT_PRIMARY);
    ClusterManager m2 = new ClusterManager(store, clock, SETTINGS, "m2");
    m2.load();
    assertThat(states(m2, 1).values()).containsOnly(TargetPublicState.SERVING);
  }

  @Test
  void aChainWithTwoReplicasOnOneNodeIsRefusedAndNothingChanges() {
    threeNodeCluster();
    long before = cluster.routingVersion();
    assertThatThrownBy(() -> cluster.setChainTable(2, List.of(chainSpec(9, 100, 101))))
        .isInstanceOf(MgmtdException.class)
        .hasMessageContaining("already belongs");
    cluster.createTargets(
        List.of(
            TargetInfo.newBuilder().setTargetId(102).setNodeId(1).setCapacityBytes(1).build(),
            TargetInfo.newBuilder().setTargetId(103).setNodeId(1).setCapacityBytes(1).build()));
    long afterCreate = cluster.routingVersion();
    assertThatThrownBy(() -> cluster.setChainTable(2, List.of(chainSpec(9, 102, 103))))
        .isInstanceOf(MgmtdException.class)
        .extracting(e -> ((MgmtdException) e).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(cluster.routingVersion()).isEqualTo(afterCreate).isGreaterThan(before);
    assertThat(cluster.topology().findChain(ChainId.of(9))).isEmpty();
  }

  @Test
  void settingTheSameChainTableAgainMakesNoNewVersion() {
    threeNodeCluster();
    long before = cluster.routingVersion();
    cluster.setChainTable(
        1,
        List.of(
            chainSpec(1, target(1, 0), target(2, 0), target(3, 0)),
            chainSpec(2, target(2, 1), target(3, 1), target(1, 1))));
    assertThat(cluster.routingVersion()).isEqualTo(before);
    cluster.setChainTable(
        1,
        List.of(
            chainSpec(2, target(2, 1), target(3, 1), target(1, 1)),
            chainSpec(1, target(1, 0), target(2, 0), target(3, 0))));
    assertThat(cluster.chainTableVersions()).extracting(t -> t.version()).containsExactly(1, 2);
  }

  @Test
  void targetsAndNodesAreRemovedOnlyWhenNothingDependsOnThem() {
    threeNodeCluster();
    assertThatThrownBy(() -> cluster.removeNode(1))
        .extracting(e -> ((MgmtdException) e).code())
        .isEqualTo(ErrorCode.NOT_EMPTY);
    assertThatThrownBy(() -> cluster.removeTarget(100))
        .extracting(e -> ((MgmtdException) e).code())
        .isEqualTo(ErrorCode.NOT_EMPTY);
    assertThatThrownBy(() -> cluster.removeTarget(999))
        .extracting(e -> ((MgmtdException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThatThrownBy(
            () ->
                cluster.createTargets(
                    List.of(
                        TargetInfo.newBuilder()
                            .setTargetId(100)
                            .setNodeId(2)
                            .setCapacityBytes(1)
                            .build())))
        .extracting(e -> ((MgmtdException) e).code())
        .isEqualTo(ErrorCode.ALREADY_EXISTS);
  }

  @Test
  void anAdminCanTakeATargetOutAndReplaceItInItsChain() {
    threeNodeCluster();
    cluster.setTargetAdminState(300, false);
    assertThat(states(cluster, 1).get(TargetId.of(300))).isEqualTo(TargetPublicState.OFFLINE);
    // Only an OFFLINE target leaves a chain.
    assertThatThrownBy(() -> cluster.updateChain(1, 200, UpdateChainRequest.Action.REMOVE))
        .hasMessageContaining("only an OFFLINE target");

    cluster.addNode(
        NodeInfo.newBuilder()
            .setNodeId(4)
            .setAddress("127.0.0.1:9004")
            .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(1 << 30))
            .build());
    cluster.createTargets(
        List.of(
            TargetInfo.newBuilder()
                .setTargetId(400)
                .setNodeId(4)
                .setCapacityBytes(1 << 29)
                .build()));
    cluster.heartbeat(
        HeartbeatRequest.newBuilder()
            .setDaemonId("storage-4")
            .setKind(DaemonKind.STORAGE)
            .setAddress("127.0.0.1:9004")
            .setNodeId(4)
            .addTargets(
                LocalTargetReport.newBuilder().setTargetId(400).setLocalState(LocalState.ONLINE))
            .build());
    cluster.updateChain(1, 400, UpdateChainRequest.Action.ADD);
    assertThat(states(cluster, 1).get(TargetId.of(400))).isEqualTo(TargetPublicState.SYNCING);
    cluster.updateChain(1, 300, UpdateChainRequest.Action.REMOVE);
    assertThat(cluster.topology().chain(ChainId.of(1)).targets())
        .containsExactly(TargetId.of(100), TargetId.of(200), TargetId.of(400));
    assertThat(cluster.topology().chainOf(TargetId.of(300))).isEmpty();
  }

  @Test
  void badHeartbeatsAreRefused() {
    threeNodeCluster();
    assertThatThrownBy(
            () ->
                cluster.heartbeat(
                    HeartbeatRequest.newBuilder()
                        .setDaemonId("storage-9")
                        .setKind(DaemonKind.STORAGE)
                        .setNodeId(9)
                        .build()))
        .extracting(e -> ((MgmtdException) e).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThatThrownBy(
            () -> cluster.heartbeat(HeartbeatRequest.newBuilder().setKind(DaemonKind.META).build()))
        .extracting(e -> ((MgmtdException) e).code())
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void configEntriesPersist() {
    cluster.setConfig(Map.of("storage.fsync", "always"));
    ClusterManager restarted = new ClusterManager(store, clock, SETTINGS, "m1");
    restarted.load();
    assertThat(restarted.config().getEntriesMap()).containsEntry("storage.fsync", "always");
  }

  @Test
  void aStorageDaemonThatMovesTakesItsNodeAlong() {
    threeNodeCluster();
    long before = cluster.routingVersion();
    cluster.heartbeat(
        HeartbeatRequest.newBuilder()
            .setDaemonId("storage-1")
            .setKind(DaemonKind.STORAGE)
            .setAddress("127.0.0.1:19001")
            .setNodeId(1)
            .addTargets(
                LocalTargetReport.newBuilder().setTargetId(100).setLocalState(LocalState.UPTODATE))
            .addTargets(
                LocalTargetReport.newBuilder().setTargetId(101).setLocalState(LocalState.UPTODATE))
            .build());
    assertThat(cluster.topology().node(io.catena.topology.NodeId.of(1)).address())
        .isEqualTo("127.0.0.1:19001");
    assertThat(cluster.routingVersion()).isGreaterThan(before);
  }

  @Test
  void aStorageDaemonsDataChannelIsPublishedAndSurvivesFailover() {
    threeNodeCluster();
    HeartbeatRequest.Builder hb =
        HeartbeatRequest.newBuilder()
            .setDaemonId("storage-1")
            .setKind(DaemonKind.STORAGE)
            .setAddress("127.0.0.1:9001")
            .setNodeId(1)
            .addTargets(
                LocalTargetReport.newBuilder().setTargetId(100).setLocalState(LocalState.UPTODATE))
            .addTargets(
                LocalTargetReport.newBuilder().setTargetId(101).setLocalState(LocalState.UPTODATE));
    long before = cluster.routingVersion();
    cluster.heartbeat(hb.setDataAddress("127.0.0.1:9101").build());
    assertThat(cluster.routingVersion()).isGreaterThan(before);
    assertThat(dataAddress(cluster, 1)).isEqualTo("127.0.0.1:9101");
    assertThat(dataAddress(cluster, 2)).as("a daemon that reports none has none").isEmpty();

    long published = cluster.routingVersion();
    cluster.heartbeat(hb.build());
    assertThat(cluster.routingVersion()).as("the same report changes nothing").isEqualTo(published);

    // an admin update that names no data address keeps the daemon's
    cluster.addNode(
        NodeInfo.newBuilder()
            .setNodeId(1)
            .setAddress("127.0.0.1:9001")
            .putLabels("rack", "r1-new")
            .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(1 << 30))
            .build());
    assertThat(dataAddress(cluster, 1)).isEqualTo("127.0.0.1:9101");

    // another instance takes over and loads the persisted state
    clock.advance(Duration.ofHours(2));
    ClusterManager standby = primary("m2");
    assertThat(dataAddress(standby, 1)).isEqualTo("127.0.0.1:9101");

    // a daemon that closed its data channel reports none: clients go back to gRPC
    cluster = standby;
    cluster.heartbeat(hb.setDataAddress("").build());
    assertThat(dataAddress(cluster, 1)).isEmpty();
  }

  private static String dataAddress(ClusterManager manager, int node) {
    return manager.routingInfo("m:1").getNodesList().stream()
        .filter(n -> n.getNodeId() == node)
        .findFirst()
        .orElseThrow()
        .getDataAddress();
  }
}
