package io.catena.topology.plan;

import io.catena.topology.ClusterTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * A plan: ordered phases of steps, the cluster before and after, the bytes it copies, and the
 * fewest SERVING replicas any chain it changes keeps while it runs (counting a replica being moved
 * away in a phase as already gone, the worst case if a move fails half-way).
 *
 * @param strategy how the planner went about it, in words (e.g. "migrate replicas")
 * @param notes things the operator should know: chains left out and why
 */
public record Plan(
    PlanKind kind,
    String strategy,
    List<PlanPhase> phases,
    ClusterTopology before,
    ClusterTopology after,
    long bytesToMove,
    int minServingDuringPlan,
    List<String> notes) {

  public Plan {
    phases = List.copyOf(phases);
    notes = List.copyOf(notes);
  }

  /** Every step, in order. */
  public List<PlanStep> steps() {
    List<PlanStep> steps = new ArrayList<>();
    for (PlanPhase phase : phases) {
      steps.addAll(phase.steps());
    }
    return steps;
  }

  /** The steps of one type, in order. */
  public <T extends PlanStep> List<T> steps(Class<T> type) {
    List<T> result = new ArrayList<>();
    for (PlanPhase phase : phases) {
      for (PlanStep step : phase.steps()) {
        if (type.isInstance(step)) {
          result.add(type.cast(step));
        }
      }
    }
    return result;
  }

  public boolean isEmpty() {
    return phases.stream().allMatch(p -> p.steps().isEmpty());
  }
}
