package io.catena.topology.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.topology.Chain;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.plan.ScaleOutPlanner.Options;
import io.catena.topology.plan.ScaleOutPlanner.Strategy;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ScaleOutPlannerTest {

  private static final long GIB = 1L << 30;

  @Test
  void migrateMovesTheIdealFractionAndBalancesEveryNode() {
    ClusterShape shape = new ClusterShape(10, 2, 3, 0);
    ClusterTopology cluster = Clusters.withData(Clusters.generated(shape, 3, 1), c -> GIB);
    ScaleOutPlanner.Result result =
        ScaleOutPlanner.plan(
            cluster, Clusters.TABLE, Clusters.newNodes(shape, 11, 5), Options.of(Strategy.MIGRATE));
    ScaleOutPlanner.Summary summary = result.summary();
    // 60 replicas over 15 nodes: 4 each; the 5 new nodes take 20, one third.
    assertThat(summary.movedReplicas()).isEqualTo(20);
    assertThat(summary.movedFraction()).isEqualTo(summary.oneShotIdealFraction(), within());
    assertThat(summary.targetsPerNode()).isEqualTo(new io.catena.topology.placement.MinMax(4, 4));
    assertThat(summary.headsPerNode().spread()).isLessThanOrEqualTo(1);
    assertThat(summary.minServingDuringPlan()).isEqualTo(2);
    assertThat(summary.bytesToMove()).isEqualTo(20 * GIB);
    assertThat(result.plan().bytesToMove()).isEqualTo(20 * GIB);
    // Moved replicas left their old targets empty and spare.
    ClusterTopology after = result.plan().after();
    for (PlanStep.MoveReplica move : result.plan().steps(PlanStep.MoveReplica.class)) {
      assertThat(after.chainOf(move.from())).isEmpty();
      assertThat(after.target(move.from()).usedBytes()).isZero();
      assertThat(after.target(move.to()).usedBytes()).isEqualTo(GIB);
      assertThat(after.nodeOf(move.to()).value()).isGreaterThan(10);
    }
  }

  @Test
  void newChainsMoveNothingAndExtendTheTable() {
    ClusterShape shape = new ClusterShape(6, 1, 3, 0);
    ClusterTopology cluster = Clusters.generated(shape, 3, 1);
    int before = cluster.chainTable(Clusters.TABLE).chains().size();
    ScaleOutPlanner.Result result =
        ScaleOutPlanner.plan(
            cluster,
            Clusters.TABLE,
            Clusters.newNodes(shape, 7, 6),
            new Options(Strategy.NEW_CHAINS, 3, "rack", 1));
    ClusterTopology after = result.plan().after();
    assertThat(result.summary().movedReplicas()).isZero();
    assertThat(result.summary().waves()).isEqualTo(2);
    assertThat(after.chainTable(Clusters.TABLE).version()).isEqualTo(3);
    assertThat(after.chainTable(Clusters.TABLE).chains()).hasSize(before + 6);
    assertThat(result.summary().targetsPerNode())
        .isEqualTo(new io.catena.topology.placement.MinMax(3, 3));
    assertThat(result.plan().strategy()).contains("new chains");
  }

  @Test
  void newChainsNeedRFailureDomainsPerStep() {
    ClusterShape shape = new ClusterShape(6, 1, 3, 0);
    ClusterTopology cluster = Clusters.generated(shape, 3, 1);
    assertThatThrownBy(
            () ->
                ScaleOutPlanner.plan(
                    cluster,
                    Clusters.TABLE,
                    Clusters.newNodes(shape, 7, 4),
                    new Options(Strategy.NEW_CHAINS, 2, "rack", 1)))
        .isInstanceOf(PlanRefusedException.class)
        .hasMessageContaining("only 2 have any")
        .hasMessageContaining("or use migrate");
  }

  @Test
  void knownNodesAndUnknownTablesAreBadInput() {
    ClusterShape shape = new ClusterShape(6, 1, 3, 0);
    ClusterTopology cluster = Clusters.generated(shape, 3, 1);
    assertThatThrownBy(
            () ->
                ScaleOutPlanner.plan(
                    cluster,
                    Clusters.TABLE,
                    Clusters.newNodes(shape, 6, 1),
                    Options.of(Strategy.MIGRATE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node-6 is already in the cluster");
    assertThatThrownBy(
            () ->
                ScaleOutPlanner.plan(
                    cluster,
                    io.catena.topology.ChainTableId.of(9),
                    Clusters.newNodes(shape, 7, 1),
                    Options.of(Strategy.MIGRATE)))
        .hasMessage("table-9 is not in the cluster");
  }

  @Property(tries = 60)
  void everyScaleOutKeepsServingReplicasAndDomains(
      @ForAll @IntRange(min = 3, max = 30) int nodes,
      @ForAll @IntRange(min = 1, max = 3) int disks,
      @ForAll @IntRange(min = 1, max = 4) int targetsPerDisk,
      @ForAll @IntRange(min = 2, max = 3) int replicas,
      @ForAll @IntRange(min = 1, max = 15) int add,
      @ForAll @IntRange(min = 0, max = 15) int step,
      @ForAll boolean racks,
      @ForAll boolean migrate,
      @ForAll long seed) {
    int rackCount = racks ? 2 * replicas : 0;
    Assume.that(nodes >= Math.max(replicas, rackCount) && step <= add);
    ClusterShape shape = new ClusterShape(nodes, disks, targetsPerDisk, rackCount);
    Assume.that(nodes * shape.targetsPerNode() >= replicas);
    ClusterTopology cluster =
        Clusters.withData(Clusters.generated(shape, replicas, seed), c -> 1000);
    Strategy strategy = migrate ? Strategy.MIGRATE : Strategy.NEW_CHAINS;
    Options options = new Options(strategy, step, "rack", seed);
    int wave = step == 0 ? add : step;
    if (strategy == Strategy.NEW_CHAINS && wave < replicas) {
      // A wave smaller than R cannot hold a chain of its own; refused (tested above).
      return;
    }
    ScaleOutPlanner.Result result;
    try {
      result =
          ScaleOutPlanner.plan(
              cluster, Clusters.TABLE, Clusters.newNodes(shape, nodes + 1, add), options);
    } catch (PlanRefusedException refused) {
      assertThat(strategy).isEqualTo(Strategy.NEW_CHAINS);
      return;
    }
    ScaleOutPlanner.Summary summary = result.summary();
    assertThat(summary.minServingDuringPlan()).isGreaterThanOrEqualTo(replicas - 1);
    assertThat(summary.domainViolations()).isZero();
    assertThat(phasesMoveAtMostOneReplicaPerChain(result.plan())).isTrue();
    if (strategy == Strategy.MIGRATE) {
      assertThat(summary.targetsPerNode().spread()).isLessThanOrEqualTo(1);
      assertThat(summary.headsPerNode().spread()).isLessThanOrEqualTo(1);
      assertThat(summary.movedFraction()).isLessThanOrEqualTo(1.2 * summary.idealFraction() + 1e-9);
    } else {
      assertThat(summary.movedReplicas()).isZero();
    }
    // The model after the plan is valid (built) and every chain still has R replicas.
    for (Chain chain : result.plan().after().chains()) {
      assertThat(chain.replicas()).isEqualTo(replicas);
    }
  }

  static boolean phasesMoveAtMostOneReplicaPerChain(Plan plan) {
    for (PlanPhase phase : plan.phases()) {
      Map<io.catena.topology.ChainId, Integer> moves = new HashMap<>();
      for (PlanStep step : phase.steps()) {
        if (step instanceof PlanStep.MoveReplica move
            && moves.merge(move.chain(), 1, Integer::sum) > 1) {
          return false;
        }
      }
    }
    return true;
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  @Test
  void stepsOfOneNodeStayWithinTheStepIdeal() {
    ClusterShape shape = new ClusterShape(10, 2, 3, 0);
    ClusterTopology cluster = Clusters.generated(shape, 3, 1);
    ScaleOutPlanner.Summary summary =
        ScaleOutPlanner.plan(
                cluster,
                Clusters.TABLE,
                Clusters.newNodes(shape, 11, 10),
                new Options(Strategy.MIGRATE, 1, "rack", 3))
            .summary();
    assertThat(summary.waves()).isEqualTo(10);
    assertThat(summary.targetsPerNode().spread()).isLessThanOrEqualTo(1);
    assertThat(summary.movedFraction()).isLessThanOrEqualTo(1.2 * summary.idealFraction());
    assertThat(summary.idealFraction()).isGreaterThan(summary.oneShotIdealFraction());
  }
}
