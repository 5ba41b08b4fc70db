package io.catena.topology.hotspot;

import io.catena.topology.ChainId;
import io.catena.topology.NodeId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Targets, chains, nodes and tenants ranked by load, busiest first, and the hot ones among them.
 */
public record HotSpotReport(
    List<LoadScore> targets,
    List<LoadScore> chains,
    List<LoadScore> nodes,
    List<LoadScore> tenants,
    Map<ChainId, Double> chainLoad) {

  public HotSpotReport {
    targets = List.copyOf(targets);
    chains = List.copyOf(chains);
    nodes = List.copyOf(nodes);
    tenants = List.copyOf(tenants);
    chainLoad = Map.copyOf(chainLoad);
  }

  /** Every hot item, highest ratio first. */
  public List<LoadScore> hotSpots() {
    List<LoadScore> hot = new ArrayList<>();
    for (List<LoadScore> list : List.of(targets, chains, nodes, tenants)) {
      list.stream().filter(LoadScore::hot).forEach(hot::add);
    }
    hot.sort(Comparator.comparingDouble(LoadScore::ratio).reversed());
    return hot;
  }

  /** The hot nodes: input for {@code RebalancePlanner.Options.hot}. */
  public Set<NodeId> hotNodes() {
    Set<NodeId> result = new TreeSet<>();
    for (LoadScore score : nodes) {
      if (score.hot()) {
        result.add(NodeId.of(Integer.parseInt(score.id())));
      }
    }
    return result;
  }
}
