package io.catena.topology.placement;

import io.catena.topology.Chain;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.FailureDomain;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.TargetId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How well a chain table is placed.
 *
 * @param nodes nodes in scope (by default those holding a replica of the table)
 * @param targets replicas in the table's chains
 * @param chains chains in the table
 * @param replicas replicas per chain
 * @param targetsPerNode the fewest and most replicas of the table on one node in scope
 * @param headsPerNode the fewest and most chain heads on one node in scope
 * @param domainViolations chains with two replicas in one failure domain
 * @param maxPairShare the most chains any two nodes share
 * @param idealPairShare the least {@code maxPairShare} can be: ceil(chains-per-node × (R−1) /
 *     nodes-outside-its-domain), worst node
 * @param adjacentSharing consecutive chains of the table that share a node
 */
public record PlacementMetrics(
    int nodes,
    int targets,
    int chains,
    int replicas,
    MinMax targetsPerNode,
    MinMax headsPerNode,
    int domainViolations,
    int maxPairShare,
    int idealPairShare,
    int adjacentSharing) {

  /** Whether the table meets Catena's placement bounds. */
  public boolean meetsBounds() {
    return domainViolations == 0
        && targetsPerNode.spread() <= 1
        && headsPerNode.spread() <= 1
        && maxPairShare <= idealPairShare + 1;
  }

  /** Metrics over the nodes that hold the table, with racks as failure domains. */
  public static PlacementMetrics of(ClusterTopology cluster, ChainTableId table) {
    return of(cluster, table, null, FailureDomain.RACK);
  }

  /**
   * Metrics over {@code scope} (null: the nodes holding the table), with {@code domainLabel} as the
   * failure domain.
   */
  public static PlacementMetrics of(
      ClusterTopology cluster, ChainTableId table, Collection<NodeId> scope, String domainLabel) {
    List<Chain> chains = cluster.chainsOf(table);
    Set<NodeId> inScope = new LinkedHashSet<>();
    if (scope != null) {
      inScope.addAll(scope);
    } else {
      for (Chain chain : chains) {
        for (TargetId t : chain.targets()) {
          inScope.add(cluster.nodeOf(t));
        }
      }
    }
    List<Node> nodes = new ArrayList<>(inScope.size());
    for (NodeId id : inScope) {
      nodes.add(cluster.node(id));
    }
    // Nodes outside the scope that still hold replicas are indexed too, after the scope.
    NodeIndex index = new NodeIndex(withOutsiders(cluster, chains, nodes, inScope), domainLabel);
    int[][] byIndex = new int[chains.size()][];
    int targets = 0;
    for (int c = 0; c < chains.size(); c++) {
      Chain chain = chains.get(c);
      int[] members = new int[chain.replicas()];
      for (int p = 0; p < members.length; p++) {
        members[p] = index.indexOf(cluster.nodeOf(chain.targets().get(p)));
      }
      byIndex[c] = members;
      targets += members.length;
    }
    int replicas = chains.isEmpty() ? 0 : chains.getFirst().replicas();
    int[] perNode = new int[index.size()];
    int[] heads = new int[index.size()];
    int violations = 0;
    for (int[] chain : byIndex) {
      heads[chain[0]]++;
      boolean violated = false;
      for (int i = 0; i < chain.length; i++) {
        perNode[chain[i]]++;
        for (int j = i + 1; j < chain.length; j++) {
          violated |= index.domain(chain[i]) == index.domain(chain[j]);
        }
      }
      if (violated) {
        violations++;
      }
    }
    int scoped = nodes.size();
    int[] scopedPerNode = java.util.Arrays.copyOf(perNode, scoped);
    int[] scopedHeads = java.util.Arrays.copyOf(heads, scoped);
    int[] slots = java.util.Arrays.copyOf(perNode, perNode.length);
    int maxPair = PairCounter.of(byIndex).max();
    int ideal = ChainDesigner.idealPairShare(slots, index.domains(), Math.max(1, replicas));
    int[] identity = new int[byIndex.length];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    return new PlacementMetrics(
        scoped,
        targets,
        chains.size(),
        replicas,
        MinMax.of(scopedPerNode),
        MinMax.of(scopedHeads),
        violations,
        maxPair,
        ideal,
        ChainOrder.adjacentSharing(byIndex, identity));
  }

  private static List<Node> withOutsiders(
      ClusterTopology cluster, List<Chain> chains, List<Node> nodes, Set<NodeId> inScope) {
    List<Node> all = new ArrayList<>(nodes);
    Set<NodeId> seen = new LinkedHashSet<>(inScope);
    for (Chain chain : chains) {
      for (TargetId t : chain.targets()) {
        NodeId node = cluster.nodeOf(t);
        if (seen.add(node)) {
          all.add(cluster.node(node));
        }
      }
    }
    return all;
  }
}
