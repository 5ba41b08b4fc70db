package io.catena.topology.plan;

import java.util.List;

/**
 * Steps that may run at the same time; phases run in order. A phase moves at most one replica of
 * any chain.
 */
public record PlanPhase(String name, List<PlanStep> steps) {
  public PlanPhase {
    steps = List.copyOf(steps);
  }
}
