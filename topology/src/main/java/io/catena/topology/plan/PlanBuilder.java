package io.catena.topology.plan;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ClusterTopology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Records phases, applies them to a {@link WorkingCluster}, and tracks serving replicas. */
final class PlanBuilder {
  final WorkingCluster work;
  private final ClusterTopology before;
  private final PlanKind kind;
  private final List<PlanPhase> phases = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private long bytes;
  private int minServing = Integer.MAX_VALUE;

  PlanBuilder(ClusterTopology before, PlanKind kind) {
    this.before = before;
    this.kind = kind;
    this.work = new WorkingCluster(before);
  }

  int phaseCount() {
    return phases.size();
  }

  void note(String note) {
    notes.add(note);
  }

  /** Adds a phase and applies it. Each chain may lose at most one replica per phase. */
  void phase(String name, List<? extends PlanStep> steps) {
    if (steps.isEmpty()) {
      return;
    }
    Map<ChainId, Integer> leaving = new HashMap<>();
    Set<ChainId> touched = new LinkedHashSet<>();
    for (PlanStep step : steps) {
      switch (step) {
        case PlanStep.MoveReplica move -> {
          touched.add(move.chain());
          if (work.target(move.from()).isServing()) {
            leaving.merge(move.chain(), 1, Integer::sum);
          }
        }
        case PlanStep.MoveHead head -> touched.add(head.chain());
        case PlanStep.AddChains add -> {
          for (Chain chain : add.chains()) {
            minServing = Math.min(minServing, chain.replicas());
          }
        }
        default -> {}
      }
    }
    for (ChainId id : touched) {
      Chain chain = work.chain(id);
      minServing = Math.min(minServing, work.serving(chain) - leaving.getOrDefault(id, 0));
    }
    for (PlanStep step : steps) {
      work.apply(step);
      bytes += step.bytes();
    }
    work.clearReservations();
    phases.add(new PlanPhase(name, List.copyOf(steps)));
  }

  Plan build(String strategy) {
    ClusterTopology after = work.build();
    int serving = minServing;
    if (serving == Integer.MAX_VALUE) {
      // Nothing changed a chain: report the cluster's own minimum.
      serving = 0;
      boolean any = false;
      for (Chain chain : after.chains()) {
        int s = work.serving(chain);
        serving = any ? Math.min(serving, s) : s;
        any = true;
      }
    }
    return new Plan(kind, strategy, phases, before, after, bytes, serving, notes);
  }

  /**
   * Splits moves into rounds in which each chain appears at most once, keeping their order: the
   * k-th move of a chain goes to round k.
   */
  static <T> List<List<T>> rounds(List<T> moves, java.util.function.Function<T, ChainId> chainOf) {
    Map<ChainId, Integer> seen = new HashMap<>();
    List<List<T>> rounds = new ArrayList<>();
    for (T move : moves) {
      int round = seen.merge(chainOf.apply(move), 1, Integer::sum) - 1;
      while (rounds.size() <= round) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(move);
    }
    return rounds;
  }
}
