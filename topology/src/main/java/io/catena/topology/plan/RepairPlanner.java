package io.catena.topology.plan;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.FailureDomain;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans replacing failed replicas. For each chain with a failed target it picks a new target (see
 * {@link ReplicaPlacer}: outside the failure domains of the surviving replicas, not on a failed
 * node, on the node with the least recovery traffic planned so far) and a surviving serving replica
 * to copy from (the one whose node has sent the least so far), so that recovery reads and writes
 * spread over the cluster. A chain with two failed targets gets them one after the other (one sync
 * per chain at a time). A chain with no serving replica left cannot be repaired by copying; the
 * plan lists it in its notes.
 */
public final class RepairPlanner {

  /** Options: the failure-domain label. */
  public record Options(String domainLabel) {
    public Options {
      domainLabel = domainLabel == null ? FailureDomain.RACK : domainLabel;
    }

    public static Options defaults() {
      return new Options(FailureDomain.RACK);
    }
  }

  /** The plan, the recovery bytes each node sends and receives, and the chains it cannot repair. */
  public record Result(
      Plan plan,
      Map<NodeId, Long> sourceBytes,
      Map<NodeId, Long> destinationBytes,
      List<ChainId> unrepairable) {}

  private RepairPlanner() {}

  /** Repairs every chain replica on a failed node; nothing is placed on that node. */
  public static Result planNode(ClusterTopology cluster, NodeId node, Options options) {
    cluster.node(node);
    List<TargetId> failed = new ArrayList<>();
    for (Target target : cluster.targetsOn(node)) {
      if (cluster.chainOf(target.id()).isPresent()) {
        failed.add(target.id());
      }
    }
    return plan(cluster, failed, Set.of(node), options);
  }

  /** Repairs these failed targets. */
  public static Result planTargets(
      ClusterTopology cluster, Collection<TargetId> targets, Options options) {
    for (TargetId t : targets) {
      cluster.target(t);
    }
    return plan(cluster, targets, Set.of(), options);
  }

  /** Repairs every chain target that is OFFLINE (public or local state). */
  public static Result planOffline(ClusterTopology cluster, Options options) {
    List<TargetId> failed = new ArrayList<>();
    for (Chain chain : cluster.chains()) {
      for (TargetId t : chain.targets()) {
        Target target = cluster.target(t);
        if (target.publicState() == TargetPublicState.OFFLINE
            || target.localState() == TargetLocalState.OFFLINE) {
          failed.add(t);
        }
      }
    }
    return plan(cluster, failed, Set.of(), options);
  }

  private static Result plan(
      ClusterTopology cluster,
      Collection<TargetId> failedTargets,
      Set<NodeId> failedNodes,
      Options options) {
    PlanBuilder builder = new PlanBuilder(cluster, PlanKind.REPAIR);
    WorkingCluster work = builder.work;
    ReplicaPlacer placer =
        new ReplicaPlacer(
            work, options.domainLabel(), failedNodes, ReplicaPlacer.Goal.SPREAD_TRAFFIC);
    Set<TargetId> failed = new LinkedHashSet<>(failedTargets);
    Map<ChainId, List<TargetId>> byChain = new TreeMap<>();
    for (TargetId t : failed) {
      Optional<ChainId> chain = cluster.chainOf(t);
      if (chain.isEmpty()) {
        builder.note(t + " is a spare target: nothing to repair");
      } else {
        byChain.computeIfAbsent(chain.get(), c -> new ArrayList<>()).add(t);
      }
    }
    List<ChainId> unrepairable = new ArrayList<>();
    List<Planned> planned = new ArrayList<>();
    for (Map.Entry<ChainId, List<TargetId>> entry : byChain.entrySet()) {
      Chain chain = cluster.chain(entry.getKey());
      Optional<TargetId> anySource = placer.chooseSource(chain, failed);
      if (anySource.isEmpty()) {
        unrepairable.add(chain.id());
        builder.note(
            chain.id()
                + " has no serving replica left: nothing to copy from; bring its LASTSRV target"
                + " back (or accept the loss) before repairing");
        continue;
      }
      long bytes = 0;
      for (TargetId t : chain.targets()) {
        if (!failed.contains(t) && cluster.target(t).isServing()) {
          bytes = Math.max(bytes, cluster.target(t).usedBytes());
        }
      }
      Chain projected = chain;
      for (TargetId leaving : entry.getValue()) {
        Optional<NodeId> node = placer.chooseNode(projected, leaving, bytes);
        if (node.isEmpty()) {
          unrepairable.add(chain.id());
          builder.note(
              chain.id()
                  + ": no node outside the failure domains "
                  + placer.stayingDomains(projected, leaving)
                  + " of its other replicas has room for "
                  + bytes
                  + " bytes; add nodes or free space");
          break;
        }
        TargetId source = placer.chooseSource(chain, failed).orElseThrow();
        placer.book(source, leaving, node.get(), bytes);
        planned.add(new Planned(chain.id(), leaving, node.get(), source, bytes));
        // Later choices for this chain must see the new member's node and domain.
        projected = placeholder(projected, leaving, work, node.get());
      }
    }
    for (List<Planned> round : PlanBuilder.rounds(planned, Planned::chain)) {
      List<PlanStep> creates = new ArrayList<>();
      List<PlanStep> moves = new ArrayList<>();
      for (Planned p : round) {
        ReplicaPlacer.Destination destination = placer.target(p.node(), p.bytes());
        destination.create().ifPresent(creates::add);
        moves.add(
            new PlanStep.MoveReplica(
                p.chain(), p.leaving(), destination.target(), p.source(), p.bytes()));
      }
      int number = builder.phaseCount() + 1;
      builder.phase("create targets (" + number + ")", creates);
      builder.phase("replace replicas (" + (builder.phaseCount() + 1) + ")", moves);
    }
    Plan plan = builder.build("replace failed replicas, spreading recovery traffic");
    return new Result(plan, placer.outgoing(), placer.incoming(), unrepairable);
  }

  /**
   * The chain as it will look with a replica on {@code node} instead of {@code leaving}, for the
   * domain checks of the next replacement in the same chain (any target of that node will do).
   */
  private static Chain placeholder(
      Chain chain, TargetId leaving, WorkingCluster work, NodeId node) {
    TargetId stand = work.targetsOn(node).isEmpty() ? leaving : work.targetsOn(node).getFirst();
    List<TargetId> targets = new ArrayList<>();
    for (TargetId t : chain.targets()) {
      targets.add(t.equals(leaving) ? stand : t);
    }
    return new Chain(chain.id(), chain.version(), targets);
  }

  private record Planned(
      ChainId chain, TargetId leaving, NodeId node, TargetId source, long bytes) {}
}
