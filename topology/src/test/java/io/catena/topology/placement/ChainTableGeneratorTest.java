package io.catena.topology.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.topology.Chain;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.TargetId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainTableGeneratorTest {

  private static final ChainTableId TABLE = ChainTableId.of(1);

  @Test
  void theThreeFsExampleMeetsTheBounds() {
    // 5 nodes, 6 targets each, 3 replicas: 10 chains, every pair of nodes shares 3 (= ideal).
    GeneratedChainTable generated =
        ChainTableGenerator.generate(
            new ClusterShape(5, 1, 6, 0).build(), ChainTableSpec.of(TABLE, 3, 7));
    PlacementMetrics metrics = generated.metrics();
    assertThat(metrics.chains()).isEqualTo(10);
    assertThat(metrics.targetsPerNode()).isEqualTo(new MinMax(6, 6));
    assertThat(metrics.headsPerNode()).isEqualTo(new MinMax(2, 2));
    assertThat(metrics.idealPairShare()).isEqualTo(3);
    assertThat(metrics.maxPairShare()).isLessThanOrEqualTo(4);
    assertThat(metrics.meetsBounds()).isTrue();
  }

  @Test
  void thousandNodesSixteenDisksEightTargetsMeetTheBounds() {
    ClusterTopology cluster = new ClusterShape(1000, 16, 8, 0).build();
    GeneratedChainTable generated =
        ChainTableGenerator.generate(cluster, ChainTableSpec.of(TABLE, 3, 1));
    PlacementMetrics metrics = generated.metrics();
    // 128,000 targets make 42,666 chains; 2 targets are a remainder below R.
    assertThat(metrics.chains()).isEqualTo(42_666);
    assertThat(generated.unusedTargets()).isEqualTo(2);
    assertThat(metrics.targetsPerNode().spread()).isLessThanOrEqualTo(1);
    assertThat(metrics.headsPerNode().spread()).isLessThanOrEqualTo(1);
    assertThat(metrics.domainViolations()).isZero();
    assertThat(metrics.idealPairShare()).isEqualTo(1);
    assertThat(metrics.maxPairShare()).isLessThanOrEqualTo(2);
    assertThat(metrics.adjacentSharing()).isZero();
  }

  @Test
  void racksKeepEveryChainsReplicasApart() {
    ClusterTopology cluster = new ClusterShape(12, 2, 4, 4).build();
    GeneratedChainTable generated =
        ChainTableGenerator.generate(cluster, ChainTableSpec.of(TABLE, 3, 3));
    ClusterTopology result = generated.topology();
    for (Chain chain : result.chains()) {
      Set<String> racks = new HashSet<>();
      for (TargetId t : chain.targets()) {
        racks.add(result.node(result.nodeOf(t)).rack().orElseThrow());
      }
      assertThat(racks).hasSize(3);
    }
    assertThat(generated.metrics().meetsBounds()).isTrue();
  }

  @Test
  void fewerRacksThanReplicasIsRefusedWithTheReason() {
    ClusterTopology cluster = new ClusterShape(8, 1, 2, 2).build();
    assertThatThrownBy(() -> ChainTableGenerator.generate(cluster, ChainTableSpec.of(TABLE, 3, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "3 replicas need spare targets in 3 different failure domains ('rack' labels, or"
                + " nodes); only 2 have any");
  }

  @Test
  void unevenRacksLeaveTheExcessSpareButNeverShareARack() {
    // Racks of 3, 3 and 2 nodes with R = 3: each chain takes one target from each rack, so the
    // bigger racks cannot use all theirs.
    GeneratedChainTable generated =
        ChainTableGenerator.generate(
            new ClusterShape(8, 1, 3, 3).build(), ChainTableSpec.of(TABLE, 3, 5));
    assertThat(generated.metrics().domainViolations()).isZero();
    assertThat(generated.metrics().chains()).isEqualTo(6);
    assertThat(generated.unusedTargets()).isEqualTo(6);
  }

  @Test
  void theSameSeedGivesTheSameTable() {
    ClusterTopology cluster = new ClusterShape(20, 2, 3, 0).build();
    GeneratedChainTable a = ChainTableGenerator.generate(cluster, ChainTableSpec.of(TABLE, 3, 9));
    GeneratedChainTable b = ChainTableGenerator.generate(cluster, ChainTableSpec.of(TABLE, 3, 9));
    assertThat(a.topology().chains()).containsExactlyElementsOf(b.topology().chains());
    assertThat(a.table()).isEqualTo(b.table());
  }

  @Test
  void anExistingTableIsNotOverwritten() {
    GeneratedChainTable first =
        ChainTableGenerator.generate(
            new ClusterShape(6, 1, 2, 0).build(), ChainTableSpec.of(TABLE, 3, 1));
    assertThatThrownBy(
            () -> ChainTableGenerator.generate(first.topology(), ChainTableSpec.of(TABLE, 3, 1)))
        .hasMessageContaining("table-1 already exists");
  }

  @Test
  void aSecondTableOnOtherNodesIsolatesATenantPhysically() {
    ClusterTopology cluster = new ClusterShape(12, 1, 2, 0).build();
    Set<NodeId> first =
        Set.of(NodeId.of(1), NodeId.of(2), NodeId.of(3), NodeId.of(4), NodeId.of(5), NodeId.of(6));
    GeneratedChainTable a =
        ChainTableGenerator.generate(cluster, new ChainTableSpec(TABLE, 3, 1, "rack", first));
    GeneratedChainTable b =
        ChainTableGenerator.generate(a.topology(), ChainTableSpec.of(ChainTableId.of(2), 3, 1));
    Set<NodeId> second = new HashSet<>();
    for (Chain chain : b.topology().chainsOf(ChainTableId.of(2))) {
      second.addAll(b.topology().nodesOf(chain));
    }
    assertThat(second).doesNotContainAnyElementsOf(first).hasSize(6);
  }

  @Test
  void headBalancerEvensOutHeadsWithFewChanges() {
    // Every chain headed by node 0: the balancer must spread them over all four nodes.
    int[][] chains = {
      {0, 1, 2}, {0, 2, 3}, {0, 3, 1}, {0, 1, 3}, {0, 2, 1}, {0, 3, 2}, {1, 2, 3}, {2, 3, 1}
    };
    int changed = HeadBalancer.balance(chains, 4);
    int[] heads = new int[4];
    for (int[] chain : chains) {
      heads[chain[0]]++;
    }
    assertThat(MinMax.of(heads)).isEqualTo(new MinMax(2, 2));
    assertThat(changed).isEqualTo(4);
  }
}
