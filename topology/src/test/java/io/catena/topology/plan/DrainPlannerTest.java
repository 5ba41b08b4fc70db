package io.catena.topology.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.topology.Chain;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import org.junit.jupiter.api.Test;

class DrainPlannerTest {

  private static final long GIB = 1L << 30;

  @Test
  void drainingMovesHeadsFirstThenEveryReplicaAndDecommissionRemovesTheNode() {
    ClusterShape shape = new ClusterShape(8, 2, 3, 0);
    ClusterTopology cluster = Clusters.withData(Clusters.generated(shape, 3, 4), c -> GIB);
    NodeId node = NodeId.of(3);
    int replicasOnNode =
        (int)
            cluster.targetsOn(node).stream()
                .filter(t -> cluster.chainOf(t.id()).isPresent())
                .count();

    Plan plan = DrainPlanner.plan(cluster, node, DrainPlanner.Options.andDecommission());

    assertThat(plan.phases().getFirst().name()).startsWith("move heads off");
    assertThat(plan.phases().getFirst().steps()).allMatch(s -> s instanceof PlanStep.MoveHead);
    assertThat(plan.steps(PlanStep.MoveReplica.class)).hasSize(replicasOnNode);
    assertThat(plan.steps().getLast()).isEqualTo(new PlanStep.RemoveNode(node));
    ClusterTopology after = plan.after();
    assertThat(after.findNode(node)).isEmpty();
    for (Chain chain : after.chains()) {
      assertThat(after.nodesOf(chain)).doesNotContain(node).doesNotHaveDuplicates();
    }
    assertThat(plan.minServingDuringPlan()).isEqualTo(2);
    assertThat(plan.bytesToMove()).isEqualTo(replicasOnNode * GIB);
  }

  @Test
  void drainIsRefusedWhenNoOtherNodeKeepsTheReplicasApart() {
    // Three nodes, R=3: every chain already uses every node.
    ClusterTopology cluster = Clusters.generated(new ClusterShape(3, 1, 2, 0), 3, 1);
    assertThatThrownBy(() -> DrainPlanner.plan(cluster, NodeId.of(1), DrainPlanner.Options.drain()))
        .isInstanceOf(PlanRefusedException.class)
        .hasMessageStartingWith("cannot drain node-1: no node outside the failure domains")
        .hasMessageContaining("add a node in another domain or free space first");
  }

  @Test
  void drainIsRefusedWhileAChainOnTheNodeIsDegraded() {
    ClusterTopology cluster = Clusters.generated(new ClusterShape(6, 1, 3, 0), 3, 1);
    NodeId node = NodeId.of(2);
    Chain chain =
        cluster.chain(cluster.chainOf(cluster.targetsOn(node).getFirst().id()).orElseThrow());
    Target other =
        chain.targets().stream()
            .map(cluster::target)
            .filter(t -> !t.node().equals(node))
            .findFirst()
            .orElseThrow();
    ClusterTopology degraded =
        cluster.toBuilder()
            .putTarget(other.withStates(TargetPublicState.OFFLINE, TargetLocalState.OFFLINE))
            .build();
    assertThatThrownBy(() -> DrainPlanner.plan(degraded, node, DrainPlanner.Options.drain()))
        .isInstanceOf(PlanRefusedException.class)
        .hasMessageContaining(chain.id() + " is degraded (2/3 serving); repair it first");
  }

  @Test
  void anUnknownNodeIsBadInput() {
    ClusterTopology cluster = Clusters.generated(new ClusterShape(6, 1, 3, 0), 3, 1);
    assertThatThrownBy(
            () -> DrainPlanner.plan(cluster, NodeId.of(77), DrainPlanner.Options.drain()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node-77 is not in the cluster");
  }
}
