package io.catena.controlplane.ops;

/** Where one step of an operation stands. */
public enum StepState {
  PENDING,
  RUNNING,
  DONE,
  FAILED,
  CANCELLED
}
