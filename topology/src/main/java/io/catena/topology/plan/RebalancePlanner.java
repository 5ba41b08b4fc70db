package io.catena.topology.plan;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTable;
import io.catena.topology.ClusterTopology;
import io.catena.topology.FailureDomain;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.TargetId;
import io.catena.topology.placement.NodeIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans dynamic replica migration: relieving hot and full nodes.
 *
 * <ol>
 *   <li>Heads: with no hot nodes named, every table's heads are evened out (within one per node);
 *       with hot nodes, each chain headed on a hot node gets as head its serving replica on a
 *       non-hot node that heads the fewest chains. Head moves copy nothing.
 *   <li>Full nodes: a node whose used fraction exceeds the cluster's by more than {@code tolerance}
 *       gives replicas (largest first) to the least-full valid nodes (see {@link ReplicaPlacer}),
 *       while a move leaves the destination less full than the source, up to {@code maxMoves}.
 * </ol>
 *
 * Only chains with every replica SERVING move, at most one replica per chain per phase, so no chain
 * goes below R−1 serving replicas.
 */
public final class RebalancePlanner {

  /**
   * Options.
   *
   * @param hotNodes nodes to take heads off (from the hot-spot analysis); empty: balance heads
   * @param chainLoad each chain's load (from the hot-spot analysis); with it, replicas of the
   *     busiest chains on hot nodes move to the least-loaded valid nodes
   * @param tolerance how far above the cluster's used fraction a node may be (e.g. 0.05)
   * @param maxMoves the most replica moves to plan
   */
  public record Options(
      Set<NodeId> hotNodes,
      Map<ChainId, Double> chainLoad,
      double tolerance,
      int maxMoves,
      String domainLabel) {
    public Options {
      hotNodes = hotNodes == null ? Set.of() : Set.copyOf(hotNodes);
      chainLoad = chainLoad == null ? Map.of() : Map.copyOf(chainLoad);
      if (tolerance < 0 || tolerance > 1) {
        throw new IllegalArgumentException("tolerance must be in [0,1], got " + tolerance);
      }
      if (maxMoves < 0) {
        throw new IllegalArgumentException("maxMoves must be >= 0, got " + maxMoves);
      }
      domainLabel = domainLabel == null ? FailureDomain.RACK : domainLabel;
    }

    public static Options defaults() {
      return new Options(Set.of(), Map.of(), 0.05, 10_000, FailureDomain.RACK);
    }

    /** Relieve these hot nodes, knowing each chain's load (bytes/s, all replicas together). */
    public static Options hot(Set<NodeId> hotNodes, Map<ChainId, Double> chainLoad) {
      return new Options(hotNodes, chainLoad, 0.05, 10_000, FailureDomain.RACK);
    }
  }

  private RebalancePlanner() {}

  public static Plan plan(ClusterTopology cluster, Options options) {
    for (NodeId node : options.hotNodes()) {
      cluster.node(node);
    }
    PlanBuilder builder = new PlanBuilder(cluster, PlanKind.REBALANCE);
    WorkingCluster work = builder.work;
    if (options.hotNodes().isEmpty()) {
      List<PlanStep> steps = new ArrayList<>();
      for (ChainTable table : work.tables.values()) {
        steps.addAll(balanceHeads(work, table, options.domainLabel()));
      }
      builder.phase("balance heads", steps);
    } else {
      builder.phase("move heads off hot nodes", headsOffHot(work, options.hotNodes()));
    }
    List<PlanStep.MoveReplica> moves = new ArrayList<>();
    List<PlanStep.CreateTarget> creates = new ArrayList<>();
    Set<ChainId> moved = new HashSet<>();
    planHotNodes(work, options, moves, creates, moved);
    planFullNodes(work, options, moves, creates, moved);
    builder.phase("create targets", creates);
    List<List<PlanStep.MoveReplica>> rounds =
        PlanBuilder.rounds(moves, PlanStep.MoveReplica::chain);
    for (int r = 0; r < rounds.size(); r++) {
      builder.phase("move replicas off hot and full nodes, round " + (r + 1), rounds.get(r));
    }
    return builder.build("move heads off hot nodes and replicas off full nodes");
  }

  private static List<PlanStep> balanceHeads(
      WorkingCluster work, ChainTable table, String domainLabel) {
    Set<NodeId> nodes = new LinkedHashSet<>();
    List<ChainId> healthy = new ArrayList<>();
    for (ChainId id : table.chains()) {
      Chain chain = work.chain(id);
      if (work.healthy(chain)) {
        healthy.add(id);
        for (TargetId t : chain.targets()) {
          nodes.add(work.nodeOf(t));
        }
      }
    }
    List<Node> scope = nodes.stream().map(work.nodes::get).toList();
    return ScaleOutPlanner.balanceHeads(work, new NodeIndex(scope, domainLabel), healthy);
  }

  private static List<PlanStep> headsOffHot(WorkingCluster work, Set<NodeId> hot) {
    Map<NodeId, Integer> heads = new HashMap<>();
    for (Chain chain : work.chains.values()) {
      heads.merge(work.nodeOf(chain.head()), 1, Integer::sum);
    }
    List<PlanStep> steps = new ArrayList<>();
    for (Chain chain : work.chains.values()) {
      if (!hot.contains(work.nodeOf(chain.head()))) {
        continue;
      }
      TargetId best = null;
      for (TargetId t : chain.targets()) {
        NodeId n = work.nodeOf(t);
        if (!hot.contains(n)
            && work.target(t).isServing()
            && (best == null
                || heads.getOrDefault(n, 0) < heads.getOrDefault(work.nodeOf(best), 0))) {
          best = t;
        }
      }
      if (best != null) {
        heads.merge(work.nodeOf(best), 1, Integer::sum);
        heads.merge(work.nodeOf(chain.head()), -1, Integer::sum);
        steps.add(new PlanStep.MoveHead(chain.id(), chain.head(), best));
      }
    }
    return steps;
  }

  private static void planFullNodes(
      WorkingCluster work,
      Options options,
      List<PlanStep.MoveReplica> moves,
      List<PlanStep.CreateTarget> creates,
      Set<ChainId> moved) {
    ReplicaPlacer placer =
        new ReplicaPlacer(work, options.domainLabel(), Set.of(), ReplicaPlacer.Goal.LEVEL_USAGE);
    long used = 0;
    long capacity = 0;
    for (NodeId node : work.nodes.keySet()) {
      used += work.usedBytes(node);
      capacity += work.capacityBytes(node);
    }
    if (capacity == 0) {
      return;
    }
    double limit = (double) used / capacity + options.tolerance();
    List<NodeId> full = new ArrayList<>();
    for (NodeId node : work.nodes.keySet()) {
      if (placer.utilisation(node) > limit) {
        full.add(node);
      }
    }
    full.sort(Comparator.comparingDouble(placer::utilisation).reversed());
    for (NodeId node : full) {
      List<TargetId> replicas = new ArrayList<>();
      for (TargetId t : work.targetsOn(node)) {
        if (work.chainOf(t).isPresent()) {
          replicas.add(t);
        }
      }
      replicas.sort(
          Comparator.comparingLong((TargetId t) -> work.target(t).usedBytes()).reversed());
      for (TargetId leaving : replicas) {
        if (moves.size() >= options.maxMoves() || placer.utilisation(node) <= limit) {
          break;
        }
        Chain chain = work.chain(work.chainOf(leaving).orElseThrow());
        long bytes = work.target(leaving).usedBytes();
        if (bytes == 0 || moved.contains(chain.id()) || !work.healthy(chain)) {
          continue;
        }
        Optional<NodeId> destination = placer.chooseNode(chain, leaving, bytes);
        if (destination.isEmpty()
            || placer.utilisationAfter(destination.get(), bytes)
                >= placer.utilisationAfter(node, -bytes)) {
          continue;
        }
        TargetId source = placer.chooseSource(chain, Set.of()).orElseThrow();
        placer.book(source, leaving, destination.get(), bytes);
        ReplicaPlacer.Destination target = placer.target(destination.get(), bytes);
        target.create().ifPresent(creates::add);
        moves.add(new PlanStep.MoveReplica(chain.id(), leaving, target.target(), source, bytes));
        moved.add(chain.id());
      }
    }
  }

  /**
   * Moves replicas of the busiest chains off hot nodes while a node's load stays above 1.25 × the
   * mean node load: a chain's load counts 1/R on each replica's node (reads spread over replicas).
   */
  private static void planHotNodes(
      WorkingCluster work,
      Options options,
      List<PlanStep.MoveReplica> moves,
      List<PlanStep.CreateTarget> creates,
      Set<ChainId> moved) {
    if (options.hotNodes().isEmpty() || options.chainLoad().isEmpty()) {
      return;
    }
    Map<NodeId, Double> load = new HashMap<>();
    for (NodeId node : work.nodes.keySet()) {
      load.put(node, 0.0);
    }
    for (Chain chain : work.chains.values()) {
      double share = options.chainLoad().getOrDefault(chain.id(), 0.0) / chain.replicas();
      for (TargetId t : chain.targets()) {
        load.merge(work.nodeOf(t), share, Double::sum);
      }
    }
    double mean = load.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double limit = mean * 1.25;
    ReplicaPlacer placer =
        new ReplicaPlacer(
            work, options.domainLabel(), options.hotNodes(), ReplicaPlacer.Goal.LEVEL_USAGE);
    Comparator<NodeId> coolest = Comparator.comparingDouble(load::get);
    for (NodeId node : options.hotNodes().stream().sorted().toList()) {
      List<ChainId> busiest = new ArrayList<>(work.chainsOn(node));
      busiest.sort(
          Comparator.comparingDouble((ChainId c) -> options.chainLoad().getOrDefault(c, 0.0))
              .reversed());
      for (ChainId id : busiest) {
        if (moves.size() >= options.maxMoves() || load.get(node) <= limit) {
          break;
        }
        Chain chain = work.chain(id);
        double share = options.chainLoad().getOrDefault(id, 0.0) / chain.replicas();
        if (share <= 0 || moved.contains(id) || !work.healthy(chain)) {
          continue;
        }
        TargetId leaving = work.targetOf(chain, node).orElseThrow();
        long bytes = work.target(leaving).usedBytes();
        Optional<NodeId> destination = placer.chooseNode(chain, leaving, bytes, coolest);
        if (destination.isEmpty()
            || load.get(destination.get()) + share >= load.get(node) - share) {
          continue;
        }
        TargetId source = placer.chooseSource(chain, Set.of()).orElseThrow();
        placer.book(source, leaving, destination.get(), bytes);
        ReplicaPlacer.Destination target = placer.target(destination.get(), bytes);
        target.create().ifPresent(creates::add);
        moves.add(new PlanStep.MoveReplica(id, leaving, target.target(), source, bytes));
        moved.add(id);
        load.merge(node, -share, Double::sum);
        load.merge(destination.get(), share, Double::sum);
      }
    }
  }
}
