package io.catena.controlplane.ops;

import java.util.List;

/**
 * An operation as callers see it at one moment.
 *
 * @param etaMs time left at the observed rate; -1 when unknown
 * @param message why it was refused or failed, or what it is doing
 */
public record OperationView(
    String id,
    OperationKind kind,
    OperationState state,
    String summary,
    List<Step> steps,
    long bytesToMove,
    long bytesMoved,
    double progress,
    long etaMs,
    String message,
    String requestedBy,
    long createdAtMs,
    long updatedAtMs) {

  public OperationView {
    steps = List.copyOf(steps);
  }

  /** One step: what it does, the bytes it copies, where it stands. */
  public record Step(int index, String description, long bytes, StepState state) {}
}
