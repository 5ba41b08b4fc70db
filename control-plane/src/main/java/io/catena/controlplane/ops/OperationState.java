package io.catena.controlplane.ops;

/** Where an operation stands. PLANNED waits for approval; the last four are final. */
public enum OperationState {
  PLANNED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  REFUSED;

  public boolean isFinal() {
    return this != PLANNED && this != RUNNING;
  }
}
