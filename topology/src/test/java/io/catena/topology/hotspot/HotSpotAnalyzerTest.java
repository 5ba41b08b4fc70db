package io.catena.topology.hotspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.topology.Chain;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.Tenant;
import io.catena.topology.TenantId;
import io.catena.topology.placement.ChainTableGenerator;
import io.catena.topology.placement.ChainTableSpec;
import io.catena.topology.plan.Plan;
import io.catena.topology.plan.PlanStep;
import io.catena.topology.plan.RebalancePlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HotSpotAnalyzerTest {

  private static final long MB = 1_000_000;
  private static final HotSpotRule RULE = HotSpotRule.defaults(Duration.ofSeconds(10));

  private static ClusterTopology cluster() {
    ClusterTopology generated =
        ChainTableGenerator.generate(
                new ClusterShape(8, 1, 3, 0).build(), ChainTableSpec.of(ChainTableId.of(1), 3, 1))
            .topology();
    return generated.toBuilder()
        .putTenant(new Tenant(TenantId.of("acme"), Set.of(ChainTableId.of(1))))
        .build();
  }

  /** Every chain target reads 1 GB in the window (100 MB/s); overrides replace some samples. */
  private static List<TargetLoadSample> samples(
      ClusterTopology cluster, TargetLoadSample... overrides) {
    List<TargetLoadSample> samples = new ArrayList<>();
    for (Chain chain : cluster.chains()) {
      for (TargetId t : chain.targets()) {
        TargetLoadSample sample = new TargetLoadSample(t, 1000 * MB, 0, 0, 0, 2.0);
        for (TargetLoadSample o : overrides) {
          if (o.target().equals(t)) {
            sample = o;
          }
        }
        samples.add(sample);
      }
    }
    return samples;
  }

  @Test
  void anEvenLoadHasNoHotSpots() {
    ClusterTopology cluster = cluster();
    HotSpotReport report = HotSpotAnalyzer.analyze(cluster, samples(cluster), RULE);
    assertThat(report.hotSpots()).isEmpty();
    assertThat(report.targets()).allMatch(s -> Math.abs(s.ratio() - 1) < 1e-9);
    assertThat(report.tenants())
        .singleElement()
        .satisfies(s -> assertThat(s.id()).isEqualTo("acme"));
  }

  @Test
  void aWriteHotHeadIsFlaggedWithAHeadMove() {
    ClusterTopology cluster = cluster();
    Chain chain = cluster.chains().iterator().next();
    TargetId head = chain.head();
    HotSpotReport report =
        HotSpotAnalyzer.analyze(
            cluster, samples(cluster, new TargetLoadSample(head, 0, 9000 * MB, 0, 0, 2.0)), RULE);
    LoadScore top = report.targets().getFirst();
    assertThat(top.id()).isEqualTo(String.valueOf(head.value()));
    assertThat(top.hot()).isTrue();
    assertThat(top.writeShare()).isEqualTo(1.0);
    assertThat(top.relief()).isEqualTo(Relief.MOVE_HEADS);
    assertThat(top.reason()).contains("x the mean target");
    NodeId node = cluster.nodeOf(head);
    assertThat(report.hotNodes()).containsExactly(node);
    LoadScore nodeScore = report.nodes().getFirst();
    assertThat(nodeScore.relief()).isEqualTo(Relief.MOVE_HEADS);
  }

  @Test
  void aReadHotReplicaAsksForReadsToSpreadAndAReadHotNodeForReplicaMoves() {
    ClusterTopology cluster = cluster();
    Chain chain = cluster.chains().iterator().next();
    TargetId tail = chain.tail();
    HotSpotReport report =
        HotSpotAnalyzer.analyze(
            cluster, samples(cluster, new TargetLoadSample(tail, 9000 * MB, 0, 0, 0, 2.0)), RULE);
    assertThat(report.targets().getFirst().relief()).isEqualTo(Relief.SPREAD_READS);
    assertThat(report.nodes().getFirst().relief()).isEqualTo(Relief.MOVE_REPLICAS);
    // The report feeds the rebalance planner: it moves a busy replica off the hot node.
    Plan plan =
        RebalancePlanner.plan(
            cluster, RebalancePlanner.Options.hot(report.hotNodes(), report.chainLoad()));
    assertThat(plan.steps(PlanStep.MoveReplica.class))
        .isNotEmpty()
        .allMatch(m -> report.hotNodes().contains(cluster.nodeOf(m.from())));
  }

  @Test
  void loadBelowTheFloorIsNeverHot() {
    ClusterTopology cluster = cluster();
    List<TargetLoadSample> quiet = new ArrayList<>();
    for (Target t : cluster.targets()) {
      quiet.add(new TargetLoadSample(t.id(), 1000, 0, 0, 0, 1.0));
    }
    TargetId first = cluster.targets().iterator().next().id();
    quiet.set(0, new TargetLoadSample(first, 100_000, 0, 0, 0, 1.0));
    HotSpotReport report = HotSpotAnalyzer.analyze(cluster, quiet, RULE);
    assertThat(report.targets().getFirst().ratio()).isGreaterThan(10);
    assertThat(report.hotSpots()).isEmpty();
  }

  @Test
  void operationsCountAtTheirByteCostAndSlowTargetsAreFlagged() {
    ClusterTopology cluster = cluster();
    TargetId busy = cluster.chains().iterator().next().targets().get(1);
    TargetId slow = cluster.chains().iterator().next().targets().get(2);
    HotSpotReport report =
        HotSpotAnalyzer.analyze(
            cluster,
            samples(
                cluster,
                new TargetLoadSample(busy, 1000 * MB, 0, 200_000, 0, 2.0),
                new TargetLoadSample(slow, 1000 * MB, 0, 0, 0, 50.0)),
            RULE);
    LoadScore busyScore = report.targets().getFirst();
    assertThat(busyScore.id()).isEqualTo(String.valueOf(busy.value()));
    // 1 GB + 200,000 ops × 64 KiB over 10 s.
    assertThat(busyScore.bytesPerSecond()).isEqualTo((1000 * MB + 200_000.0 * 65536) / 10);
    LoadScore slowScore =
        report.targets().stream()
            .filter(s -> s.id().equals(String.valueOf(slow.value())))
            .findFirst()
            .orElseThrow();
    assertThat(slowScore.hot()).isTrue();
    assertThat(slowScore.reason()).contains("p99 50.0 ms is 25.0 x the median 2.0 ms");
  }

  @Test
  void samplesOfUnknownTargetsAreBadInput() {
    ClusterTopology cluster = cluster();
    assertThatThrownBy(
            () ->
                HotSpotAnalyzer.analyze(
                    cluster,
                    List.of(new TargetLoadSample(TargetId.of(424242), 1, 1, 1, 1, 1)),
                    RULE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("load sample for target-424242, which is not in the cluster");
    assertThatThrownBy(() -> HotSpotRule.defaults(Duration.ZERO)).hasMessageContaining("window");
  }
}
