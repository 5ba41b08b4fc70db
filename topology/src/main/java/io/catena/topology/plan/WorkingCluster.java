package io.catena.topology.plan;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTable;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Disk;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import io.catena.topology.Tenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster as a plan changes it, step by step: mutable, indexed for the planners' queries, and
 * turned back into a validated {@link ClusterTopology} at the end.
 */
final class WorkingCluster {
  final Map<NodeId, Node> nodes = new LinkedHashMap<>();
  final Map<TargetId, Target> targets = new HashMap<>();
  final Map<ChainId, Chain> chains = new LinkedHashMap<>();
  final Map<ChainTableId, ChainTable> tables = new LinkedHashMap<>();
  private final List<Tenant> tenants;
  private final Map<TargetId, ChainId> chainOf = new HashMap<>();
  private final Map<NodeId, List<TargetId>> targetsByNode = new HashMap<>();
  private final Set<TargetId> reserved = new HashSet<>();
  private final Map<NodeId, long[]> usedPerDisk = new HashMap<>();

  WorkingCluster(ClusterTopology cluster) {
    for (Node node : cluster.nodes()) {
      nodes.put(node.id(), node);
    }
    for (Target target : cluster.targets()) {
      putTarget(target);
    }
    for (Chain chain : cluster.chains()) {
      putChain(chain);
    }
    for (ChainTable table : cluster.chainTables()) {
      tables.put(table.id(), table);
    }
    tenants = List.copyOf(cluster.tenants());
  }

  private void putTarget(Target target) {
    Target old = targets.put(target.id(), target);
    if (old == null) {
      targetsByNode.computeIfAbsent(target.node(), n -> new ArrayList<>()).add(target.id());
    } else {
      account(old, -old.usedBytes());
    }
    account(target, target.usedBytes());
  }

  private void account(Target target, long delta) {
    long[] used = usedPerDisk.computeIfAbsent(target.node(), n -> new long[TargetId.MAX_DISKS]);
    used[target.disk()] += delta;
  }

  private void putChain(Chain chain) {
    Chain old = chains.put(chain.id(), chain);
    if (old != null) {
      for (TargetId t : old.targets()) {
        chainOf.remove(t);
      }
    }
    for (TargetId t : chain.targets()) {
      chainOf.put(t, chain.id());
    }
  }

  Chain chain(ChainId id) {
    return chains.get(id);
  }

  Target target(TargetId id) {
    return targets.get(id);
  }

  NodeId nodeOf(TargetId id) {
    return targets.get(id).node();
  }

  Optional<ChainId> chainOf(TargetId target) {
    return Optional.ofNullable(chainOf.get(target));
  }

  List<TargetId> targetsOn(NodeId node) {
    return targetsByNode.getOrDefault(node, List.of());
  }

  /** Chains with a replica on the node. */
  List<ChainId> chainsOn(NodeId node) {
    List<ChainId> result = new ArrayList<>();
    for (TargetId t : targetsOn(node)) {
      ChainId c = chainOf.get(t);
      if (c != null) {
        result.add(c);
      }
    }
    return result;
  }

  /** The chain's target on that node, if any. */
  Optional<TargetId> targetOf(Chain chain, NodeId node) {
    for (TargetId t : chain.targets()) {
      if (targets.get(t).node().equals(node)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  int serving(Chain chain) {
    int serving = 0;
    for (TargetId t : chain.targets()) {
      if (targets.get(t).isServing()) {
        serving++;
      }
    }
    return serving;
  }

  boolean healthy(Chain chain) {
    return serving(chain) == chain.replicas();
  }

  /** The data a new replica of the chain must copy: the most any serving replica holds. */
  long chainBytes(Chain chain) {
    long bytes = 0;
    for (TargetId t : chain.targets()) {
      Target target = targets.get(t);
      if (target.isServing()) {
        bytes = Math.max(bytes, target.usedBytes());
      }
    }
    return bytes;
  }

  long freeBytes(NodeId node, int disk) {
    Optional<Disk> d = nodes.get(node).disk(disk);
    if (d.isEmpty()) {
      return 0;
    }
    long[] used = usedPerDisk.get(node);
    return d.get().capacityBytes() - (used == null ? 0 : used[disk]);
  }

  long usedBytes(NodeId node) {
    long used = 0;
    for (TargetId t : targetsOn(node)) {
      used += targets.get(t).usedBytes();
    }
    return used;
  }

  long capacityBytes(NodeId node) {
    return nodes.get(node).capacityBytes();
  }

  /**
   * A spare, unreserved target on the node whose disk has room for {@code bytes}, on the disk with
   * the most free bytes; it is reserved until the next phase is applied.
   */
  Optional<Target> takeSpareTarget(NodeId node, long bytes) {
    Target best = null;
    long bestFree = -1;
    for (TargetId t : targetsOn(node)) {
      if (chainOf.containsKey(t) || reserved.contains(t)) {
        continue;
      }
      Target target = targets.get(t);
      long free = freeBytes(node, target.disk());
      if (free >= bytes && free > bestFree) {
        best = target;
        bestFree = free;
      }
    }
    if (best != null) {
      reserved.add(best.id());
    }
    return Optional.ofNullable(best);
  }

  /** Whether the node could take a replica of {@code bytes}: a spare target or a disk with room. */
  boolean hasRoom(NodeId node, long bytes) {
    for (TargetId t : targetsOn(node)) {
      if (!chainOf.containsKey(t)
          && !reserved.contains(t)
          && freeBytes(node, targets.get(t).disk()) >= bytes) {
        return true;
      }
    }
    return diskWithRoom(node, bytes).isPresent();
  }

  /** The disk with the most free bytes, if it has {@code bytes} free and a free target slot. */
  Optional<Integer> diskWithRoom(NodeId node, long bytes) {
    Integer best = null;
    long bestFree = -1;
    for (Disk disk : nodes.get(node).disks()) {
      long free = freeBytes(node, disk.index());
      if (free >= bytes && free > bestFree && nextSlot(node, disk.index()) >= 0) {
        best = disk.index();
        bestFree = free;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * A new target on the disk, numbered with the next free slot, sized like its siblings (or the
   * whole disk when it has none); reserved until the next phase is applied.
   */
  Target newTarget(NodeId node, int disk) {
    int slot = nextSlot(node, disk);
    long capacity = nodes.get(node).disk(disk).orElseThrow().capacityBytes();
    for (TargetId t : targetsOn(node)) {
      Target sibling = targets.get(t);
      if (sibling.disk() == disk) {
        capacity = sibling.capacityBytes();
        break;
      }
    }
    Target target = Target.serving(TargetId.of(node, disk, slot), node, disk, capacity);
    reserved.add(target.id());
    return target;
  }

  private int nextSlot(NodeId node, int disk) {
    Set<TargetId> used = new HashSet<>(targetsOn(node));
    used.addAll(reserved);
    for (int slot = 0; slot < TargetId.MAX_SLOTS_PER_DISK; slot++) {
      TargetId id = TargetId.of(node, disk, slot);
      if (!used.contains(id) && !targets.containsKey(id)) {
        return slot;
      }
    }
    return -1;
  }

  void apply(PlanStep step) {
    switch (step) {
      case PlanStep.AddNode add -> {
        nodes.put(add.node().id(), add.node());
        add.targets().forEach(this::putTarget);
      }
      case PlanStep.CreateTarget create -> putTarget(create.target());
      case PlanStep.MoveReplica move -> {
        Chain chain = chains.get(move.chain());
        putChain(chain.withReplicaMoved(move.from(), move.to()));
        Target to = targets.get(move.to());
        putTarget(
            new Target(
                to.id(),
                to.node(),
                to.disk(),
                to.capacityBytes(),
                move.bytes(),
                TargetPublicState.SERVING,
                TargetLocalState.UPTODATE));
        Target from = targets.get(move.from());
        putTarget(from.withUsedBytes(0));
      }
      case PlanStep.MoveHead head -> putChain(chains.get(head.chain()).withHead(head.to()));
      case PlanStep.AddChains add -> {
        ChainTable table = tables.get(add.table());
        List<ChainId> ids = new ArrayList<>(table.chains());
        for (Chain chain : add.chains()) {
          putChain(chain);
          ids.add(chain.id());
          for (TargetId t : chain.targets()) {
            targets.put(
                t, targets.get(t).withStates(TargetPublicState.SERVING, TargetLocalState.UPTODATE));
          }
        }
        tables.put(table.id(), new ChainTable(table.id(), add.newVersion(), ids));
      }
      case PlanStep.RemoveNode remove -> {
        for (TargetId t : targetsOn(remove.node())) {
          if (chainOf.containsKey(t)) {
            throw new IllegalStateException(
                remove.node() + " still holds " + t + " of " + chainOf.get(t));
          }
          targets.remove(t);
        }
        targetsByNode.remove(remove.node());
        usedPerDisk.remove(remove.node());
        nodes.remove(remove.node());
      }
    }
  }

  void clearReservations() {
    reserved.clear();
  }

  ClusterTopology build() {
    return ClusterTopology.of(
        nodes.values(), targets.values(), chains.values(), tables.values(), tenants);
  }
}
