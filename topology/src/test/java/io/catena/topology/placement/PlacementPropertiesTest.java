package io.catena.topology.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.topology.Chain;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.TargetId;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The generator's invariants over random cluster shapes (up to 40 nodes, to stay quick). */
class PlacementPropertiesTest {

  @Property(tries = 120)
  void everyGeneratedTableMeetsTheBounds(
      @ForAll @IntRange(min = 1, max = 40) int nodes,
      @ForAll @IntRange(min = 1, max = 4) int disks,
      @ForAll @IntRange(min = 1, max = 6) int targetsPerDisk,
      @ForAll @IntRange(min = 1, max = 4) int replicas,
      @ForAll @IntRange(min = 0, max = 8) int racks,
      @ForAll long seed) {
    Assume.that(nodes >= replicas && (racks == 0 || (racks >= replicas && racks <= nodes)));
    ClusterShape shape = new ClusterShape(nodes, disks, targetsPerDisk, racks);
    Assume.that(Shapes.racksAllowBalance(shape, replicas));
    ClusterTopology cluster = shape.build();

    GeneratedChainTable generated =
        ChainTableGenerator.generate(
            cluster, ChainTableSpec.of(ChainTableId.of(1), replicas, seed));
    PlacementMetrics metrics = generated.metrics();
    ClusterTopology result = generated.topology();

    // R different nodes (validated by the model) and R different racks when labelled.
    assertThat(metrics.domainViolations()).isZero();
    for (Chain chain : result.chains()) {
      assertThat(chain.replicas()).isEqualTo(replicas);
      Set<NodeId> chainNodes = new HashSet<>(result.nodesOf(chain));
      assertThat(chainNodes).hasSize(replicas);
      if (racks > 0) {
        Set<String> chainRacks = new HashSet<>();
        for (TargetId t : chain.targets()) {
          chainRacks.add(result.node(result.nodeOf(t)).rack().orElseThrow());
        }
        assertThat(chainRacks).hasSize(replicas);
      }
    }
    // Only a remainder below R stays spare.
    assertThat(generated.unusedTargets()).isLessThan(replicas);
    assertThat(metrics.targets())
        .isEqualTo(nodes * disks * targetsPerDisk - generated.unusedTargets());
    // Same replicas and heads on every node, within one.
    assertThat(metrics.targetsPerNode().spread()).isLessThanOrEqualTo(1);
    assertThat(metrics.headsPerNode().spread()).isLessThanOrEqualTo(1);
    // Recovery balance.
    assertThat(metrics.maxPairShare()).isLessThanOrEqualTo(metrics.idealPairShare() + 1);
    // Consecutive chains on different nodes, when the cluster is wide enough to allow it freely.
    if (nodes >= 5 * replicas) {
      assertThat(metrics.adjacentSharing()).isZero();
    }
  }

  @Property(tries = 200)
  void theIdealPairShareIsTheCountingBound(
      @ForAll @IntRange(min = 2, max = 60) int nodes,
      @ForAll @IntRange(min = 1, max = 200) int chainsPerNode,
      @ForAll @IntRange(min = 2, max = 5) int replicas) {
    Assume.that(nodes >= replicas);
    int[] slots = new int[nodes];
    int[] domains = new int[nodes];
    for (int i = 0; i < nodes; i++) {
      slots[i] = chainsPerNode;
      domains[i] = i;
    }
    int expected = (chainsPerNode * (replicas - 1) + nodes - 2) / (nodes - 1);
    assertThat(ChainDesigner.idealPairShare(slots, domains, replicas)).isEqualTo(expected);
  }
}
