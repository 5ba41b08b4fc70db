package io.catena.topology.plan;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.FailureDomain;
import io.catena.topology.NodeId;
import io.catena.topology.TargetId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans emptying a node: first its chain heads move to another serving replica (the one whose node
 * heads the fewest chains), so writes stop entering there; then each of its replicas moves to a
 * node chosen by {@link ReplicaPlacer} (outside the other replicas' failure domains, least incoming
 * traffic), copied from the serving replica whose node has sent the least. Optionally the node is
 * then removed (decommission).
 *
 * <p>Refused, with the reason, when a chain on the node is already degraded (moving its replica
 * could leave it below R−1 serving replicas: repair it first) or when some replica has no valid
 * destination (no room that keeps failure domains apart).
 */
public final class DrainPlanner {

  /** Options: the failure-domain label, and whether to remove the node at the end. */
  public record Options(String domainLabel, boolean decommission) {
    public Options {
      domainLabel = domainLabel == null ? FailureDomain.RACK : domainLabel;
    }

    public static Options drain() {
      return new Options(FailureDomain.RACK, false);
    }

    public static Options andDecommission() {
      return new Options(FailureDomain.RACK, true);
    }
  }

  private DrainPlanner() {}

  /**
   * The plan to drain {@code node}.
   *
   * @throws IllegalArgumentException when the node is unknown
   * @throws PlanRefusedException when the drain would break a rule; nothing is planned
   */
  public static Plan plan(ClusterTopology cluster, NodeId node, Options options) {
    cluster.node(node);
    PlanBuilder builder = new PlanBuilder(cluster, PlanKind.DRAIN);
    WorkingCluster work = builder.work;
    List<ChainId> chains = work.chainsOn(node);
    for (ChainId id : chains) {
      Chain chain = work.chain(id);
      if (!work.healthy(chain)) {
        throw new PlanRefusedException(
            "cannot drain "
                + node
                + ": "
                + id
                + " is degraded ("
                + work.serving(chain)
                + "/"
                + chain.replicas()
                + " serving); repair it first so that no chain drops below R-1 serving replicas");
      }
      if (chain.replicas() == 1) {
        throw new PlanRefusedException(
            "cannot drain " + node + ": " + id + " has a single replica, which lives there");
      }
    }
    builder.phase("move heads off " + node, headMoves(work, node, chains));
    ReplicaPlacer placer =
        new ReplicaPlacer(
            work, options.domainLabel(), Set.of(node), ReplicaPlacer.Goal.SPREAD_TRAFFIC);
    List<PlanStep> creates = new ArrayList<>();
    List<PlanStep> moves = new ArrayList<>();
    for (ChainId id : chains) {
      Chain chain = work.chain(id);
      TargetId leaving = work.targetOf(chain, node).orElseThrow();
      long bytes = work.chainBytes(chain);
      Optional<NodeId> destination = placer.chooseNode(chain, leaving, bytes);
      if (destination.isEmpty()) {
        throw new PlanRefusedException(
            "cannot drain "
                + node
                + ": no node outside the failure domains "
                + placer.stayingDomains(chain, leaving)
                + " of "
                + id
                + "'s other replicas, and not already in it, has room for "
                + bytes
                + " bytes; add a node in another domain or free space first");
      }
      TargetId source = placer.chooseSource(chain, Set.of()).orElseThrow();
      placer.book(source, leaving, destination.get(), bytes);
      ReplicaPlacer.Destination target = placer.target(destination.get(), bytes);
      target.create().ifPresent(creates::add);
      moves.add(new PlanStep.MoveReplica(id, leaving, target.target(), source, bytes));
    }
    builder.phase("create targets", creates);
    builder.phase("move replicas off " + node, moves);
    if (options.decommission()) {
      builder.phase("decommission", List.of(new PlanStep.RemoveNode(node)));
    }
    return builder.build(
        options.decommission() ? "drain, then remove the node" : "drain the node, keep it");
  }

  private static List<PlanStep> headMoves(WorkingCluster work, NodeId node, List<ChainId> chains) {
    Map<NodeId, Integer> heads = new HashMap<>();
    for (Chain chain : work.chains.values()) {
      heads.merge(work.nodeOf(chain.head()), 1, Integer::sum);
    }
    List<PlanStep> steps = new ArrayList<>();
    for (ChainId id : chains) {
      Chain chain = work.chain(id);
      if (!work.nodeOf(chain.head()).equals(node)) {
        continue;
      }
      TargetId best = null;
      for (TargetId t : chain.targets()) {
        NodeId n = work.nodeOf(t);
        if (!n.equals(node)
            && work.target(t).isServing()
            && (best == null
                || heads.getOrDefault(n, 0) < heads.getOrDefault(work.nodeOf(best), 0))) {
          best = t;
        }
      }
      if (best != null) {
        heads.merge(work.nodeOf(best), 1, Integer::sum);
        steps.add(new PlanStep.MoveHead(id, chain.head(), best));
      }
    }
    return steps;
  }
}
