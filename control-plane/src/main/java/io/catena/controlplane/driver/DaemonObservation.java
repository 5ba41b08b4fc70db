package io.catena.controlplane.driver;

/** A daemon as the driver sees it now. */
public record DaemonObservation(
    String name, DaemonKind kind, State state, long pid, String endpoint, String detail) {

  /** Where a daemon stands. */
  public enum State {
    /** Not deployed on the node. */
    ABSENT,
    /** Deployed, not running (stopped, backing off after a crash, or held back). */
    NOT_RUNNING,
    /** Running, its port not answering yet. */
    STARTING,
    /** Running and answering on its port. */
    HEALTHY,
    /** Held back after crashing too often, or failing its health probe while running long. */
    FAILING
  }

  public boolean healthy() {
    return state == State.HEALTHY;
  }
}
