package io.catena.controlplane.ops;

import java.util.List;

/**
 * What an operation will do: a summary, its steps in order, the bytes they copy, and an estimate of
 * how long they take.
 */
public record ExecutionPlan(String summary, List<ExecStep> steps, long bytesToMove, long etaMs) {
  public ExecutionPlan {
    steps = List.copyOf(steps);
  }
}
