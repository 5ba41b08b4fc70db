package io.catena.topology.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.TargetId;
import io.catena.topology.placement.MinMax;
import io.catena.topology.placement.PlacementMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RebalancePlannerTest {

  private static final long GIB = 1L << 30;

  @Test
  void headsAreEvenedOutWhenNoNodeIsHot() {
    ClusterTopology cluster = Clusters.generated(new ClusterShape(9, 1, 4, 0), 3, 1);
    // Pile every head onto the first replica's node of node 1's chains... by making node 1 head
    // wherever it is a member.
    ClusterTopology.Builder builder = cluster.toBuilder();
    NodeId node = NodeId.of(1);
    for (Chain chain : cluster.chains()) {
      for (TargetId t : chain.targets()) {
        if (cluster.nodeOf(t).equals(node)) {
          builder.putChain(chain.withHead(t));
        }
      }
    }
    ClusterTopology skewed = builder.build();
    assertThat(PlacementMetrics.of(skewed, Clusters.TABLE).headsPerNode().max()).isEqualTo(4);

    Plan plan = RebalancePlanner.plan(skewed, RebalancePlanner.Options.defaults());
    MinMax heads = PlacementMetrics.of(plan.after(), Clusters.TABLE).headsPerNode();
    assertThat(heads.spread()).isLessThanOrEqualTo(1);
    assertThat(plan.bytesToMove()).isZero();
  }

  @Test
  void headsLeaveHotNodes() {
    ClusterTopology cluster = Clusters.generated(new ClusterShape(9, 1, 4, 0), 3, 1);
    NodeId hot = NodeId.of(4);
    Plan plan = RebalancePlanner.plan(cluster, RebalancePlanner.Options.hot(Set.of(hot), Map.of()));
    ClusterTopology after = plan.after();
    for (Chain chain : after.chains()) {
      assertThat(after.nodeOf(chain.head())).isNotEqualTo(hot);
    }
    assertThat(plan.steps(PlanStep.MoveHead.class)).isNotEmpty();
  }

  @Test
  void aFullNodeGivesReplicasToTheLeastFullNodes() {
    ClusterShape shape = new ClusterShape(9, 1, 4, 0, 100 * GIB);
    ClusterTopology cluster = Clusters.generated(shape, 3, 1);
    NodeId full = NodeId.of(2);
    // Chains on node 2 hold 20 GiB, the rest 2 GiB: node 2 is at 80%, the others far less.
    ClusterTopology loaded =
        Clusters.withData(cluster, c -> cluster.nodesOf(c).contains(full) ? 20 * GIB : 2 * GIB);
    Plan plan = RebalancePlanner.plan(loaded, RebalancePlanner.Options.defaults());
    assertThat(plan.steps(PlanStep.MoveReplica.class)).isNotEmpty();
    assertThat(plan.steps(PlanStep.MoveReplica.class))
        .allMatch(m -> loaded.nodeOf(m.from()).equals(full));
    assertThat(plan.after().usedBytesOn(full)).isLessThan(loaded.usedBytesOn(full));
    assertThat(plan.minServingDuringPlan()).isGreaterThanOrEqualTo(2);
    for (Chain chain : plan.after().chains()) {
      assertThat(plan.after().nodesOf(chain)).doesNotHaveDuplicates();
    }
  }

  @Test
  void busyChainsMoveOffAHotNode() {
    ClusterTopology cluster = Clusters.generated(new ClusterShape(12, 1, 3, 0), 3, 1);
    NodeId hot = NodeId.of(6);
    Map<ChainId, Double> load = new HashMap<>();
    for (Chain chain : cluster.chains()) {
      load.put(chain.id(), cluster.nodesOf(chain).contains(hot) ? 900.0 : 100.0);
    }
    Plan plan = RebalancePlanner.plan(cluster, RebalancePlanner.Options.hot(Set.of(hot), load));
    assertThat(plan.steps(PlanStep.MoveReplica.class))
        .isNotEmpty()
        .allMatch(m -> cluster.nodeOf(m.from()).equals(hot))
        .allMatch(m -> !plan.after().nodeOf(m.to()).equals(hot));
    assertThat(ScaleOutPlannerTest.phasesMoveAtMostOneReplicaPerChain(plan)).isTrue();
  }
}
