package io.catena.topology.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RepairPlannerTest {

  private static final long GIB = 1L << 30;

  /** 12 nodes in 4 racks, 6 targets each, R=3, a spare target per disk left for repairs. */
  private static ClusterTopology cluster() {
    ClusterShape shape = new ClusterShape(12, 2, 3, 4);
    ClusterTopology generated = Clusters.generated(shape, 3, 11);
    return Clusters.withData(generated, c -> GIB);
  }

  private static ClusterTopology failNode(ClusterTopology cluster, NodeId node) {
    ClusterTopology.Builder builder = cluster.toBuilder();
    for (Target t : cluster.targetsOn(node)) {
      builder.putTarget(t.withStates(TargetPublicState.OFFLINE, TargetLocalState.OFFLINE));
    }
    return builder.build();
  }

  @Test
  void aFailedNodesChainsGetNewReplicasOutsideTheirRacksWithTrafficSpread() {
    NodeId failed = NodeId.of(5);
    ClusterTopology cluster = failNode(cluster(), failed);
    List<ChainId> affected =
        cluster.targetsOn(failed).stream().map(t -> cluster.chainOf(t.id()).orElseThrow()).toList();

    RepairPlanner.Result result =
        RepairPlanner.planNode(cluster, failed, RepairPlanner.Options.defaults());
    ClusterTopology after = result.plan().after();

    assertThat(result.unrepairable()).isEmpty();
    assertThat(result.plan().steps(PlanStep.MoveReplica.class)).hasSize(affected.size());
    for (ChainId id : affected) {
      Chain chain = after.chain(id);
      assertThat(after.nodesOf(chain)).doesNotContain(failed).doesNotHaveDuplicates();
      Set<String> racks = new HashSet<>();
      for (TargetId t : chain.targets()) {
        racks.add(after.node(after.nodeOf(t)).rack().orElseThrow());
        assertThat(after.target(t).isServing()).isTrue();
      }
      assertThat(racks).hasSize(3);
    }
    // Recovery traffic: 6 chains to repair; no node receives or sends more than 2 of them.
    assertThat(result.destinationBytes().values()).allMatch(b -> b <= 2 * GIB);
    assertThat(result.sourceBytes().values()).allMatch(b -> b <= 2 * GIB);
    assertThat(result.destinationBytes()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(result.plan().minServingDuringPlan()).isEqualTo(2);
    assertThat(result.plan().bytesToMove()).isEqualTo(affected.size() * GIB);
  }

  @Test
  void aChainWithTwoFailedReplicasIsRepairedOneReplicaAtATime() {
    ClusterTopology cluster = cluster();
    Chain chain = cluster.chains().iterator().next();
    List<TargetId> failed = List.of(chain.targets().get(0), chain.targets().get(1));
    ClusterTopology.Builder builder = cluster.toBuilder();
    for (TargetId t : failed) {
      builder.putTarget(
          cluster.target(t).withStates(TargetPublicState.OFFLINE, TargetLocalState.OFFLINE));
    }
    RepairPlanner.Result result =
        RepairPlanner.planOffline(builder.build(), RepairPlanner.Options.defaults());
    List<PlanStep.MoveReplica> moves = result.plan().steps(PlanStep.MoveReplica.class);
    assertThat(moves).hasSize(2);
    assertThat(ScaleOutPlannerTest.phasesMoveAtMostOneReplicaPerChain(result.plan())).isTrue();
    assertThat(moves).allMatch(m -> m.source().equals(chain.targets().get(2)));
    assertThat(result.plan().minServingDuringPlan()).isEqualTo(1);
    Chain repaired = result.plan().after().chain(chain.id());
    assertThat(repaired.targets()).doesNotContainAnyElementsOf(failed).hasSize(3);
  }

  @Test
  void aChainWithNoServingReplicaIsReportedNotPlanned() {
    ClusterTopology cluster = cluster();
    Chain chain = cluster.chains().iterator().next();
    ClusterTopology.Builder builder = cluster.toBuilder();
    for (TargetId t : chain.targets()) {
      builder.putTarget(
          cluster.target(t).withStates(TargetPublicState.OFFLINE, TargetLocalState.OFFLINE));
    }
    RepairPlanner.Result result =
        RepairPlanner.planOffline(builder.build(), RepairPlanner.Options.defaults());
    assertThat(result.unrepairable()).containsExactly(chain.id());
    assertThat(result.plan().notes()).anyMatch(n -> n.contains("no serving replica left"));
    assertThat(result.plan().isEmpty()).isTrue();
  }

  @Test
  void whenNoSpareTargetIsLeftANewTargetIsCreatedOnADiskWithRoom() {
    // A full table (every target used): repair must create a target.
    ClusterShape shape = new ClusterShape(5, 1, 3, 0);
    ClusterTopology cluster = Clusters.withData(Clusters.generated(shape, 3, 2), c -> GIB);
    NodeId failed = NodeId.of(1);
    RepairPlanner.Result result =
        RepairPlanner.planNode(failNode(cluster, failed), failed, RepairPlanner.Options.defaults());
    assertThat(result.unrepairable()).isEmpty();
    List<PlanStep.CreateTarget> created = result.plan().steps(PlanStep.CreateTarget.class);
    assertThat(created).hasSize(3);
    assertThat(created).allMatch(c -> !c.target().node().equals(failed));
  }
}
