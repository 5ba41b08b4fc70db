package io.catena.topology.plan;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTable;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.FailureDomain;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.placement.ChainTableGenerator;
import io.catena.topology.placement.HeadBalancer;
import io.catena.topology.placement.MinMax;
import io.catena.topology.placement.NodeIndex;
import io.catena.topology.placement.PairCounter;
import io.catena.topology.placement.PlacementMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Plans adding nodes to a chain table, in waves of {@code step} nodes. Two strategies:
 *
 * <ul>
 *   <li>{@link Strategy#MIGRATE}: each wave moves replicas from the nodes holding the most onto the
 *       new nodes until every node holds the same number (within one), choosing for each move the
 *       chain whose remaining members share the fewest chains with the new node and whose failure
 *       domains stay apart; then rebalances heads. A wave moves only what balance needs: {@code
 *       step/(nodes+step)} of all replicas.
 *   <li>{@link Strategy#NEW_CHAINS}: each wave builds new chains on the new nodes only and appends
 *       them to the table (a new table version). Nothing moves; existing data stays where it is.
 *       Needs at least R failure domains among the wave's nodes.
 * </ul>
 *
 * Within a wave, at most one replica of a chain moves per phase, and only chains with every replica
 * SERVING are moved, so every chain keeps at least R−1 serving replicas throughout.
 */
public final class ScaleOutPlanner {

  /** How new nodes get data. */
  public enum Strategy {
    MIGRATE,
    NEW_CHAINS
  }

  /** Options: strategy, nodes per wave (0: all at once), failure-domain label, seed. */
  public record Options(Strategy strategy, int step, String domainLabel, long seed) {
    public Options {
      if (strategy == null) {
        throw new IllegalArgumentException("scale-out strategy is missing");
      }
      if (step < 0) {
        throw new IllegalArgumentException("scale-out step must be >= 0, got " + step);
      }
      domainLabel = domainLabel == null ? FailureDomain.RACK : domainLabel;
    }

    public static Options of(Strategy strategy) {
      return new Options(strategy, 0, FailureDomain.RACK, 1);
    }
  }

  /**
   * The plan in numbers.
   *
   * @param movedFraction replicas moved / replicas in the table before the plan
   * @param idealFraction the least a plan balanced after every wave can move: the sum over waves of
   *     step/(nodes before the wave + step)
   * @param oneShotIdealFraction K/(N+K), the least any balancing plan can move
   * @param targetsPerNode the table's replicas per node after the plan, over old and new nodes
   * @param headsPerNode the table's heads per node after the plan, over old and new nodes
   */
  public record Summary(
      Strategy strategy,
      int nodesBefore,
      int nodesAdded,
      int waves,
      int steps,
      long movedReplicas,
      long totalReplicas,
      double movedFraction,
      double idealFraction,
      double oneShotIdealFraction,
      MinMax targetsPerNode,
      MinMax headsPerNode,
      int maxPairShare,
      int idealPairShare,
      int domainViolations,
      int minServingDuringPlan,
      long bytesToMove) {}

  /** The plan and its summary. */
  public record Result(Plan plan, Summary summary) {}

  private ScaleOutPlanner() {}

  /**
   * Plans adding {@code newNodes} (each with its spare targets) to {@code table}.
   *
   * @throws IllegalArgumentException for unknown tables, known node ids or bad options
   * @throws PlanRefusedException when new chains cannot keep failure domains apart
   */
  public static Result plan(
      ClusterTopology cluster,
      ChainTableId table,
      List<PlanStep.AddNode> newNodes,
      Options options) {
    ChainTable chainTable = cluster.chainTable(table);
    if (chainTable.chains().isEmpty()) {
      throw new IllegalArgumentException(table + " has no chains to scale out");
    }
    if (newNodes.isEmpty()) {
      throw new IllegalArgumentException("no nodes to add");
    }
    Set<NodeId> seen = new HashSet<>();
    for (PlanStep.AddNode add : newNodes) {
      if (cluster.findNode(add.node().id()).isPresent() || !seen.add(add.node().id())) {
        throw new IllegalArgumentException(add.node().id() + " is already in the cluster");
      }
      for (Target target : add.targets()) {
        if (!target.node().equals(add.node().id())) {
          throw new IllegalArgumentException(
              target.id() + " is listed with " + add.node().id() + " but is on " + target.node());
        }
      }
    }
    PlanBuilder builder = new PlanBuilder(cluster, PlanKind.SCALE_OUT);
    Set<NodeId> oldNodes = tableNodes(builder.work, table);
    int nodesBefore = oldNodes.size();
    int step = options.step() == 0 ? newNodes.size() : options.step();
    long totalReplicas =
        (long) chainTable.chains().size()
            * cluster.chain(chainTable.chains().getFirst()).replicas();
    long moved = 0;
    double ideal = 0;
    int waves = 0;
    Random random = new Random(options.seed());
    for (int from = 0; from < newNodes.size(); from += step) {
      List<PlanStep.AddNode> wave = newNodes.subList(from, Math.min(newNodes.size(), from + step));
      waves++;
      int holders = tableNodes(builder.work, table).size();
      ideal += (double) wave.size() / (holders + wave.size());
      String label = "wave " + waves + ": ";
      builder.phase(label + "add " + wave.size() + " nodes", wave);
      List<NodeId> waveIds = wave.stream().map(a -> a.node().id()).toList();
      if (options.strategy() == Strategy.MIGRATE) {
        moved += migrate(builder, table, waveIds, options.domainLabel(), random, label);
      } else {
        addChains(builder, table, waveIds, options, label);
      }
    }
    Plan plan =
        builder.build(
            options.strategy() == Strategy.MIGRATE
                ? "migrate replicas onto the new nodes until every node holds the same number"
                : "add new chains on the new nodes only; existing data does not move");
    List<NodeId> scope = new ArrayList<>(oldNodes);
    newNodes.forEach(a -> scope.add(a.node().id()));
    PlacementMetrics metrics =
        PlacementMetrics.of(plan.after(), table, scope, options.domainLabel());
    Summary summary =
        new Summary(
            options.strategy(),
            nodesBefore,
            newNodes.size(),
            waves,
            plan.steps().size(),
            moved,
            totalReplicas,
            (double) moved / totalReplicas,
            options.strategy() == Strategy.MIGRATE ? ideal : 0,
            (double) newNodes.size() / (nodesBefore + newNodes.size()),
            metrics.targetsPerNode(),
            metrics.headsPerNode(),
            metrics.maxPairShare(),
            metrics.idealPairShare(),
            metrics.domainViolations(),
            plan.minServingDuringPlan(),
            plan.bytesToMove());
    return new Result(plan, summary);
  }

  private static Set<NodeId> tableNodes(WorkingCluster work, ChainTableId table) {
    Set<NodeId> nodes = new LinkedHashSet<>();
    for (ChainId id : work.tables.get(table).chains()) {
      for (TargetId t : work.chain(id).targets()) {
        nodes.add(work.nodeOf(t));
      }
    }
    return nodes;
  }

  // ---- NEW_CHAINS ----------------------------------------------------------------------------

  private static void addChains(
      PlanBuilder builder, ChainTableId table, List<NodeId> wave, Options options, String label) {
    WorkingCluster work = builder.work;
    ChainTable current = work.tables.get(table);
    int replicas = work.chain(current.chains().getFirst()).replicas();
    int nextChain = 1;
    for (ChainId id : work.chains.keySet()) {
      nextChain = Math.max(nextChain, id.value() + 1);
    }
    List<Node> nodes = wave.stream().map(work.nodes::get).toList();
    ChainTableGenerator.Designed designed;
    try {
      designed =
          ChainTableGenerator.design(
              nodes,
              node -> spareTargets(work, node),
              nextChain,
              replicas,
              options.domainLabel(),
              options.seed() + nextChain);
    } catch (IllegalArgumentException e) {
      throw new PlanRefusedException(
          "new chains go on the new nodes only, and "
              + e.getMessage()
              + "; add at least "
              + replicas
              + " nodes in different failure domains per step, or use migrate");
    }
    if (designed.unusedTargets() > 0) {
      builder.note(
          label
              + designed.unusedTargets()
              + " targets of the new nodes stay spare (no full chain)");
    }
    builder.phase(
        label + "add chains",
        List.of(new PlanStep.AddChains(table, current.version() + 1, designed.chains())));
  }

  private static List<Target> spareTargets(WorkingCluster work, NodeId node) {
    List<Target> spare = new ArrayList<>();
    for (TargetId t : work.targetsOn(node)) {
      if (work.chainOf(t).isEmpty()) {
        spare.add(work.target(t));
      }
    }
    return spare;
  }

  // ---- MIGRATE -------------------------------------------------------------------------------

  private static long migrate(
      PlanBuilder builder,
      ChainTableId table,
      List<NodeId> wave,
      String domainLabel,
      Random random,
      String label) {
    WorkingCluster work = builder.work;
    Set<NodeId> scopeIds = tableNodes(work, table);
    scopeIds.addAll(wave);
    List<Node> scope = scopeIds.stream().map(work.nodes::get).toList();
    NodeIndex index = new NodeIndex(scope, domainLabel);
    List<ChainId> chainIds = work.tables.get(table).chains();
    Migration migration = new Migration(work, index, chainIds, random);
    List<int[]> moves = migration.plan(wave);
    if (migration.stuck > 0) {
      builder.note(
          label
              + migration.stuck
              + " replica moves found no chain that keeps failure domains apart; those nodes stay"
              + " one or more replicas under their share");
    }
    List<List<int[]>> rounds = PlanBuilder.rounds(moves, m -> chainIds.get(m[0]));
    for (int r = 0; r < rounds.size(); r++) {
      List<PlanStep> steps = new ArrayList<>();
      for (int[] m : rounds.get(r)) {
        Chain chain = work.chain(chainIds.get(m[0]));
        NodeId fromNode = index.id(m[1]);
        NodeId toNode = index.id(m[2]);
        TargetId from = work.targetOf(chain, fromNode).orElseThrow();
        long bytes = work.target(from).usedBytes();
        Target to =
            work.takeSpareTarget(toNode, bytes)
                .orElseThrow(() -> new PlanRefusedException(toNode + " has no spare target left"));
        steps.add(new PlanStep.MoveReplica(chain.id(), from, to.id(), chain.tail(), bytes));
      }
      builder.phase(label + "move replicas, round " + (r + 1), steps);
    }
    builder.phase(label + "balance heads", balanceHeads(work, index, chainIds));
    return moves.size();
  }

  /** MoveHead steps that even out the heads of these chains over the indexed nodes. */
  static List<PlanStep> balanceHeads(WorkingCluster work, NodeIndex index, List<ChainId> chainIds) {
    int[][] members = new int[chainIds.size()][];
    for (int c = 0; c < members.length; c++) {
      Chain chain = work.chain(chainIds.get(c));
      members[c] = new int[chain.replicas()];
      for (int p = 0; p < members[c].length; p++) {
        members[c][p] = index.indexOf(work.nodeOf(chain.targets().get(p)));
      }
    }
    HeadBalancer.balance(members, index.size());
    List<PlanStep> steps = new ArrayList<>();
    for (int c = 0; c < members.length; c++) {
      Chain chain = work.chain(chainIds.get(c));
      NodeId head = index.id(members[c][0]);
      if (!work.nodeOf(chain.head()).equals(head)) {
        steps.add(
            new PlanStep.MoveHead(
                chain.id(), chain.head(), work.targetOf(chain, head).orElseThrow()));
      }
    }
    return steps;
  }

  /** The move search of one MIGRATE wave, on node indexes. */
  private static final class Migration {
    private final NodeIndex index;
    private final int[][] members;
    private final boolean[] movable;
    private final int[] moveCount;
    private final List<List<Integer>> chainsOf;
    private final PairCounter pairs;
    private final int[] count;
    private final Random random;
    private final WorkingCluster work;
    int stuck;

    Migration(WorkingCluster work, NodeIndex index, List<ChainId> chainIds, Random random) {
      this.work = work;
      this.index = index;
      this.random = random;
      int n = index.size();
      members = new int[chainIds.size()][];
      movable = new boolean[chainIds.size()];
      moveCount = new int[chainIds.size()];
      count = new int[n];
      chainsOf = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        chainsOf.add(new ArrayList<>());
      }
      for (int c = 0; c < members.length; c++) {
        Chain chain = work.chain(chainIds.get(c));
        movable[c] = work.healthy(chain);
        members[c] = new int[chain.replicas()];
        for (int p = 0; p < members[c].length; p++) {
          int node = index.indexOf(work.nodeOf(chain.targets().get(p)));
          members[c][p] = node;
          count[node]++;
          chainsOf.get(node).add(c);
        }
      }
      pairs = PairCounter.of(members);
    }

    /**
     * Moves as {chain, from node, to node}, in the order found. First every new node is filled to
     * the floor of the mean from the nodes above it (fullest first); then any node still two or
     * more above the floor gives to a node at the floor (new nodes first). Every node ends at the
     * floor or one above, unless failure domains leave no valid chain (counted in {@link #stuck}).
     */
    List<int[]> plan(List<NodeId> wave) {
      int n = index.size();
      long total = 0;
      for (int c : count) {
        total += c;
      }
      int base = (int) (total / n);
      Set<Integer> waveIndexes = new HashSet<>();
      for (NodeId id : wave) {
        waveIndexes.add(index.indexOf(id));
      }
      int[] room = new int[n];
      for (int i = 0; i < n; i++) {
        room[i] = work.targetsOn(index.id(i)).size();
      }
      List<int[]> moves = new ArrayList<>();
      List<Integer> destinations = new ArrayList<>(waveIndexes);
      java.util.Collections.sort(destinations);
      boolean progress = true;
      while (progress) {
        progress = false;
        for (int d : destinations) {
          if (count[d] >= Math.min(base, room[d])) {
            continue;
          }
          int[] move = findMove(d, base + 1);
          if (move == null) {
            stuck += Math.min(base, room[d]) - count[d];
            room[d] = count[d];
            continue;
          }
          apply(move);
          moves.add(move);
          progress = true;
        }
      }
      List<Integer> lowFirst = new ArrayList<>(destinations);
      for (int i = 0; i < n; i++) {
        if (!waveIndexes.contains(i)) {
          lowFirst.add(i);
        }
      }
      progress = true;
      while (progress) {
        progress = false;
        for (int d : lowFirst) {
          if (count[d] > base || count[d] >= room[d] || !anyAbove(base + 2)) {
            continue;
          }
          int[] move = findMove(d, base + 2);
          if (move != null) {
            apply(move);
            moves.add(move);
            progress = true;
          }
        }
      }
      for (int i = 0; i < n; i++) {
        if (count[i] > base + 1) {
          stuck += count[i] - base - 1;
        }
      }
      return moves;
    }

    private boolean anyAbove(int atLeast) {
      for (int c : count) {
        if (c >= atLeast) {
          return true;
        }
      }
      return false;
    }

    /** A move to d from a node holding at least {@code atLeast}, fullest first. */
    private int[] findMove(int d, int atLeast) {
      boolean[] tried = new boolean[count.length];
      while (true) {
        int source = -1;
        for (int i = 0; i < count.length; i++) {
          if (!tried[i]
              && i != d
              && count[i] >= atLeast
              && (source < 0 || count[i] > count[source])) {
            source = i;
          }
        }
        if (source < 0) {
          return null;
        }
        tried[source] = true;
        int chain = bestChain(source, d);
        if (chain >= 0) {
          return new int[] {chain, source, d};
        }
      }
    }

    private int bestChain(int source, int d) {
      List<Integer> chains = chainsOf.get(source);
      int size = chains.size();
      if (size == 0) {
        return -1;
      }
      int start = random.nextInt(size);
      int best = -1;
      long bestScore = Long.MAX_VALUE;
      for (int k = 0; k < size; k++) {
        int c = chains.get((start + k) % size);
        if (!movable[c] || !fits(c, source, d)) {
          continue;
        }
        long cost = 0;
        for (int m : members[c]) {
          if (m != source) {
            cost += pairs.get(m, d);
          }
        }
        long score = moveCount[c] * 1_000_000L + cost;
        if (score < bestScore) {
          best = c;
          bestScore = score;
          if (score == 0) {
            break;
          }
        }
      }
      return best;
    }

    private boolean fits(int c, int source, int d) {
      for (int m : members[c]) {
        if (m == d) {
          return false;
        }
        if (m != source && index.domain(m) == index.domain(d)) {
          return false;
        }
      }
      return true;
    }

    private void apply(int[] move) {
      int c = move[0];
      int source = move[1];
      int d = move[2];
      int[] chain = members[c];
      int[] next = new int[chain.length];
      int k = 0;
      for (int m : chain) {
        if (m != source) {
          pairs.add(m, source, -1);
          pairs.add(m, d, 1);
          next[k++] = m;
        }
      }
      next[k] = d;
      members[c] = next;
      chainsOf.get(source).remove(Integer.valueOf(c));
      chainsOf.get(d).add(c);
      count[source]--;
      count[d]++;
      moveCount[c]++;
    }
  }
}
