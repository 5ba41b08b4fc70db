package io.catena.controlplane.ops.load;

import io.catena.controlplane.ops.LoadWindow;
import io.catena.controlplane.ops.cluster.ClusterSnapshot;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.hotspot.HotSpotAnalyzer;
import io.catena.topology.hotspot.HotSpotReport;
import io.catena.topology.hotspot.HotSpotRule;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Hot spots over a window: the sampled load scored by the topology's {@link HotSpotAnalyzer}. */
public final class HotSpotMonitor {

  private final Supplier<ClusterSnapshot> cluster;
  private final LoadSampler sampler;

  public HotSpotMonitor(Supplier<ClusterSnapshot> cluster, LoadSampler sampler) {
    this.cluster = cluster;
    this.sampler = sampler;
  }

  public LoadSampler sampler() {
    return sampler;
  }

  /** The report over {@code window}, scored against the span the samples really cover. */
  public HotSpotReport report(LoadWindow window) {
    ClusterTopology topology = cluster.get().topology();
    Set<TargetId> known = topology.targets().stream().map(Target::id).collect(Collectors.toSet());
    LoadSampler.WindowLoad load = sampler.window(window, known);
    return HotSpotAnalyzer.analyze(
        topology,
        load.samples(),
        HotSpotRule.defaults(load.span().isZero() ? window.length() : load.span()));
  }
}
