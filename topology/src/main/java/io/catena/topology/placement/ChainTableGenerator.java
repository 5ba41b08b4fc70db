package io.catena.topology.placement;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTable;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds balanced chain tables from spare targets: every chain's replicas on different nodes and
 * failure domains, the same number of replicas and heads on every node (within one), partners
 * spread evenly (see {@link ChainDesigner}), and the table ordered so that consecutive chains share
 * no node (see {@link ChainOrder}). Deterministic for a given seed.
 */
public final class ChainTableGenerator {

  private ChainTableGenerator() {}

  /** A new table over the spec's nodes. */
  public static GeneratedChainTable generate(ClusterTopology cluster, ChainTableSpec spec) {
    if (cluster.findChainTable(spec.table()).isPresent()) {
      throw new IllegalArgumentException(
          spec.table() + " already exists; extend it with a scale-out plan instead");
    }
    List<Node> nodes = scope(cluster, spec.nodes());
    Designed designed = design(cluster, nodes, spec.replicas(), spec.domainLabel(), spec.seed());
    ClusterTopology.Builder builder = cluster.toBuilder();
    List<ChainId> ids = new ArrayList<>(designed.chains().size());
    for (Chain chain : designed.chains()) {
      builder.putChain(chain);
      ids.add(chain.id());
    }
    ChainTable table = new ChainTable(spec.table(), 1, ids);
    builder.putChainTable(table);
    ClusterTopology result = builder.build();
    List<NodeId> scopeIds = nodes.stream().map(Node::id).toList();
    PlacementMetrics metrics =
        PlacementMetrics.of(result, spec.table(), scopeIds, spec.domainLabel());
    return new GeneratedChainTable(result, table, metrics, designed.unusedTargets());
  }

  /** Chains designed over spare targets, in table order, with their ids, and the unused count. */
  public record Designed(List<Chain> chains, int unusedTargets) {}

  /**
   * Designs chains over the spare targets of {@code nodes} without adding them to the cluster;
   * chain ids continue after the cluster's highest.
   */
  public static Designed design(
      ClusterTopology cluster, List<Node> nodes, int replicas, String domainLabel, long seed) {
    int nextChain = 1;
    for (Chain chain : cluster.chains()) {
      nextChain = Math.max(nextChain, chain.id().value() + 1);
    }
    return design(
        nodes, node -> cluster.spareTargetsOn(node), nextChain, replicas, domainLabel, seed);
  }

  /**
   * Designs chains over the targets {@code spareTargets} gives for each of {@code nodes}, with
   * chain ids from {@code firstChainId}, in table order.
   *
   * @throws IllegalArgumentException when fewer than {@code replicas} failure domains have spare
   *     targets
   */
  public static Designed design(
      List<Node> nodes,
      Function<NodeId, List<Target>> spareTargets,
      int firstChainId,
      int replicas,
      String domainLabel,
      long seed) {
    NodeIndex index = new NodeIndex(nodes, domainLabel);
    int n = index.size();
    int[] slots = new int[n];
    List<List<Target>> spare = new ArrayList<>(n);
    java.util.Set<Integer> domainsWithSlots = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      List<Target> targets = interleaveDisks(spareTargets.apply(index.id(i)));
      spare.add(targets);
      slots[i] = targets.size();
      if (slots[i] > 0) {
        domainsWithSlots.add(index.domain(i));
      }
    }
    if (domainsWithSlots.size() < replicas) {
      throw new IllegalArgumentException(
          replicas
              + " replicas need spare targets in "
              + replicas
              + " different failure domains ("
              + (domainLabel == null ? "nodes" : "'" + domainLabel + "' labels, or nodes")
              + "); only "
              + domainsWithSlots.size()
              + " have any");
    }
    ChainDesigner.Design design = ChainDesigner.design(slots, index.domains(), replicas, seed);
    int[][] chains = design.chains();
    HeadBalancer.assign(chains, n);
    int[] order = ChainOrder.arrange(chains, seed ^ 0x5DEECE66DL);
    int nextChain = firstChainId;
    int[] taken = new int[n];
    List<Chain> result = new ArrayList<>(chains.length);
    for (int k = 0; k < order.length; k++) {
      int[] members = chains[order[k]];
      List<TargetId> targets = new ArrayList<>(members.length);
      for (int node : members) {
        targets.add(spare.get(node).get(taken[node]++).id());
      }
      result.add(new Chain(ChainId.of(nextChain++), 1, targets));
    }
    int unused = 0;
    for (int u : design.unusedSlots()) {
      unused += u;
    }
    return new Designed(result, unused);
  }

  /** The nodes to place on: those given, or every node with a spare target. */
  static List<Node> scope(ClusterTopology cluster, Collection<NodeId> ids) {
    List<Node> nodes = new ArrayList<>();
    if (ids.isEmpty()) {
      for (Node node : cluster.nodes()) {
        if (!cluster.spareTargetsOn(node.id()).isEmpty()) {
          nodes.add(node);
        }
      }
    } else {
      for (NodeId id : ids.stream().sorted().toList()) {
        nodes.add(cluster.node(id));
      }
    }
    return nodes;
  }

  /** Targets ordered disk 0 slot 0, disk 1 slot 0, ..., disk 0 slot 1, ...: disks take turns. */
  static List<Target> interleaveDisks(List<Target> targets) {
    Map<Integer, Integer> seenOnDisk = new HashMap<>();
    List<long[]> keyed = new ArrayList<>(targets.size());
    List<Target> sorted = new ArrayList<>(targets);
    sorted.sort(Comparator.comparing(Target::id));
    for (int i = 0; i < sorted.size(); i++) {
      Target t = sorted.get(i);
      int rank = seenOnDisk.merge(t.disk(), 1, Integer::sum) - 1;
      keyed.add(new long[] {rank, t.disk(), i});
    }
    keyed.sort(Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
    List<Target> result = new ArrayList<>(targets.size());
    for (long[] k : keyed) {
      result.add(sorted.get((int) k[2]));
    }
    return result;
  }
}
