package io.catena.topology.plan;

import io.catena.topology.Chain;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses where a replica goes and which replica feeds it, for repair, drain and rebalance.
 *
 * <p>A destination must not hold a replica of the chain, must be outside the failure domains of the
 * replicas that stay, must not be excluded (a failed or draining node), and must have room: a spare
 * target, or a disk with free bytes for the data. Among those, {@link Goal#SPREAD_TRAFFIC} takes
 * the node with the fewest bytes already planned to arrive there, then the fewest replicas; {@link
 * Goal#LEVEL_USAGE} the node that will be the least full. A source is the serving replica with the
 * fewest bytes already planned to leave its node, so recovery reads spread too.
 */
final class ReplicaPlacer {

  /** What to prefer among valid destinations. */
  enum Goal {
    SPREAD_TRAFFIC,
    LEVEL_USAGE
  }

  /** A chosen destination: the node, and the step that creates its target when none is spare. */
  record Destination(NodeId node, TargetId target, Optional<PlanStep.CreateTarget> create) {}

  private final WorkingCluster work;
  private final String domainLabel;
  private final Set<NodeId> excluded;
  private final Goal goal;
  private final Map<NodeId, Long> incoming = new HashMap<>();
  private final Map<NodeId, Long> outgoing = new HashMap<>();
  private final Map<NodeId, Long> projectedUsed = new HashMap<>();
  private final Map<NodeId, Integer> replicas = new HashMap<>();

  ReplicaPlacer(WorkingCluster work, String domainLabel, Set<NodeId> excluded, Goal goal) {
    this.work = work;
    this.domainLabel = domainLabel;
    this.excluded = Set.copyOf(excluded);
    this.goal = goal;
    for (NodeId node : work.nodes.keySet()) {
      replicas.put(node, work.chainsOn(node).size());
      projectedUsed.put(node, work.usedBytes(node));
    }
  }

  String domainOf(NodeId node) {
    String label = work.nodes.get(node).labels().get(domainLabel);
    return label == null ? "node:" + node.value() : label;
  }

  /** The failure domains of the chain's replicas other than {@code leaving}. */
  Set<String> stayingDomains(Chain chain, TargetId leaving) {
    Set<String> domains = new HashSet<>();
    for (TargetId t : chain.targets()) {
      if (!t.equals(leaving)) {
        domains.add(domainOf(work.nodeOf(t)));
      }
    }
    return domains;
  }

  /** The best node for a replica of {@code chain} replacing {@code leaving}; empty if none fits. */
  Optional<NodeId> chooseNode(Chain chain, TargetId leaving, long bytes) {
    return chooseNode(chain, leaving, bytes, (a, b) -> better(a, b, bytes) ? -1 : 1);
  }

  /** As {@link #chooseNode(Chain, TargetId, long)}, preferring the least node by {@code order}. */
  Optional<NodeId> chooseNode(
      Chain chain, TargetId leaving, long bytes, java.util.Comparator<NodeId> order) {
    Set<NodeId> members = new HashSet<>();
    for (TargetId t : chain.targets()) {
      members.add(work.nodeOf(t));
    }
    Set<String> domains = stayingDomains(chain, leaving);
    NodeId best = null;
    for (Node node : work.nodes.values()) {
      NodeId id = node.id();
      if (excluded.contains(id) || members.contains(id) || domains.contains(domainOf(id))) {
        continue;
      }
      if (!work.hasRoom(id, bytes) || projectedUsed.get(id) + bytes > work.capacityBytes(id)) {
        continue;
      }
      if (best == null || order.compare(id, best) < 0) {
        best = id;
      }
    }
    return Optional.ofNullable(best);
  }

  private boolean better(NodeId a, NodeId b, long bytes) {
    if (goal == Goal.SPREAD_TRAFFIC) {
      int byIncoming = Long.compare(incoming.getOrDefault(a, 0L), incoming.getOrDefault(b, 0L));
      if (byIncoming != 0) {
        return byIncoming < 0;
      }
      int byReplicas = Integer.compare(replicas.get(a), replicas.get(b));
      if (byReplicas != 0) {
        return byReplicas < 0;
      }
    }
    return utilisationAfter(a, bytes) < utilisationAfter(b, bytes);
  }

  double utilisationAfter(NodeId node, long bytes) {
    long capacity = work.capacityBytes(node);
    return capacity == 0 ? 1.0 : (double) (projectedUsed.get(node) + bytes) / capacity;
  }

  double utilisation(NodeId node) {
    return utilisationAfter(node, 0);
  }

  /** The serving replica (other than {@code except}) whose node has sent the least so far. */
  Optional<TargetId> chooseSource(Chain chain, Set<TargetId> except) {
    TargetId best = null;
    long bestOut = Long.MAX_VALUE;
    // Prefer the tail on ties: it is already the new replica's predecessor.
    List<TargetId> order = new ArrayList<>(chain.targets());
    java.util.Collections.reverse(order);
    for (TargetId t : order) {
      Target target = work.target(t);
      if (except.contains(t) || !target.isServing()) {
        continue;
      }
      long out = outgoing.getOrDefault(target.node(), 0L);
      if (out < bestOut) {
        best = t;
        bestOut = out;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Books the traffic and usage of a planned move. */
  void book(TargetId source, TargetId leaving, NodeId destination, long bytes) {
    NodeId sourceNode = work.nodeOf(source);
    outgoing.merge(sourceNode, bytes, Long::sum);
    incoming.merge(destination, bytes, Long::sum);
    projectedUsed.merge(destination, bytes, Long::sum);
    replicas.merge(destination, 1, Integer::sum);
    NodeId leavingNode = work.nodeOf(leaving);
    projectedUsed.merge(leavingNode, -work.target(leaving).usedBytes(), Long::sum);
    replicas.merge(leavingNode, -1, Integer::sum);
  }

  /**
   * The target a planned replica lands on: a spare one with room, else a new one on the disk with
   * the most free bytes.
   */
  Destination target(NodeId node, long bytes) {
    Optional<Target> spare = work.takeSpareTarget(node, bytes);
    if (spare.isPresent()) {
      return new Destination(node, spare.get().id(), Optional.empty());
    }
    int disk =
        work.diskWithRoom(node, bytes)
            .orElseThrow(() -> new PlanRefusedException(node + " has no disk with room left"));
    Target created = work.newTarget(node, disk);
    return new Destination(node, created.id(), Optional.of(new PlanStep.CreateTarget(created)));
  }

  Map<NodeId, Long> incoming() {
    return Map.copyOf(incoming);
  }

  Map<NodeId, Long> outgoing() {
    return Map.copyOf(outgoing);
  }
}
