package io.catena.topology.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.topology.Chain;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Repair and drain invariants over random shapes (disks of 100 units, chains holding 1-10). */
class RepairAndDrainPropertiesTest {

  private static ClusterTopology cluster(
      int nodes, int targetsPerDisk, int replicas, int racks, long seed) {
    ClusterShape shape = new ClusterShape(nodes, 2, targetsPerDisk, racks, 100);
    return Clusters.withData(
        Clusters.generated(shape, replicas, seed), c -> 1 + Math.floorMod(c.id().value() * 7, 10));
  }

  private static void assertChainsKeepDomainsApart(ClusterTopology cluster) {
    for (Chain chain : cluster.chains()) {
      Set<String> domains = new HashSet<>();
      for (TargetId t : chain.targets()) {
        NodeId node = cluster.nodeOf(t);
        domains.add(cluster.node(node).rack().orElse("node:" + node.value()));
      }
      assertThat(domains).hasSize(chain.replicas());
    }
  }

  @Property(tries = 40)
  void repairReplacesEveryReplicaOfAFailedNodeOrSaysWhyNot(
      @ForAll @IntRange(min = 4, max = 30) int nodes,
      @ForAll @IntRange(min = 1, max = 3) int targetsPerDisk,
      @ForAll @IntRange(min = 2, max = 3) int replicas,
      @ForAll boolean racks,
      @ForAll @IntRange(min = 1, max = 30) int failed,
      @ForAll long seed) {
    int rackCount = racks ? replicas + 1 : 0;
    Assume.that(nodes > Math.max(replicas, rackCount) && failed <= nodes);
    ClusterTopology cluster = cluster(nodes, targetsPerDisk, replicas, rackCount, seed);
    NodeId node = NodeId.of(failed);
    ClusterTopology.Builder builder = cluster.toBuilder();
    for (Target t : cluster.targetsOn(node)) {
      builder.putTarget(t.withStates(TargetPublicState.OFFLINE, TargetLocalState.OFFLINE));
    }
    RepairPlanner.Result result =
        RepairPlanner.planNode(builder.build(), node, RepairPlanner.Options.defaults());
    ClusterTopology after = result.plan().after();
    assertChainsKeepDomainsApart(after);
    for (Chain chain : after.chains()) {
      if (!result.unrepairable().contains(chain.id())) {
        assertThat(after.nodesOf(chain)).doesNotContain(node);
      }
    }
    assertThat(result.plan().notes()).hasSizeGreaterThanOrEqualTo(result.unrepairable().size());
    assertThat(result.plan().minServingDuringPlan()).isGreaterThanOrEqualTo(replicas - 1);
    assertThat(ScaleOutPlannerTest.phasesMoveAtMostOneReplicaPerChain(result.plan())).isTrue();
  }

  @Property(tries = 40)
  void drainEmptiesTheNodeOrIsRefused(
      @ForAll @IntRange(min = 3, max = 30) int nodes,
      @ForAll @IntRange(min = 1, max = 3) int targetsPerDisk,
      @ForAll @IntRange(min = 2, max = 3) int replicas,
      @ForAll boolean racks,
      @ForAll @IntRange(min = 1, max = 30) int drained,
      @ForAll long seed) {
    int rackCount = racks ? replicas + 1 : 0;
    Assume.that(nodes >= Math.max(replicas, rackCount) && drained <= nodes);
    ClusterTopology cluster = cluster(nodes, targetsPerDisk, replicas, rackCount, seed);
    NodeId node = NodeId.of(drained);
    Plan plan;
    try {
      plan = DrainPlanner.plan(cluster, node, DrainPlanner.Options.andDecommission());
    } catch (PlanRefusedException refused) {
      assertThat(refused.getMessage()).startsWith("cannot drain " + node + ": ");
      return;
    }
    ClusterTopology after = plan.after();
    assertThat(after.findNode(node)).isEmpty();
    assertChainsKeepDomainsApart(after);
    assertThat(after.chains()).hasSameSizeAs(cluster.chains());
    assertThat(plan.minServingDuringPlan()).isGreaterThanOrEqualTo(replicas - 1);
  }
}
