package io.catena.controlplane.driver;

/**
 * A daemon as the driver sees it now: its state, pid, the endpoint it serves on (empty when
 * unknown), automatic restarts so far, uptime, and a detail (last exit reason, health detail).
 */
public record DaemonObservation(
    String name,
    DaemonKind kind,
    State state,
    long pid,
    String endpoint,
    int restarts,
    long uptimeMillis,
    String detail) {

  /** Where a daemon stands. */
  public enum State {
    /** Not deployed on the node. */
    ABSENT,
    /** Deployed, not running (stopped, or backing off after a crash). */
    NOT_RUNNING,
    /** Running, its port not answering yet. */
    STARTING,
    /** Running and answering on its port. */
    HEALTHY,
    /** Held back after crashing too often. */
    FAILING
  }

  public static DaemonObservation absent(String name, DaemonKind kind) {
    return new DaemonObservation(name, kind, State.ABSENT, 0, "", 0, 0, "not deployed");
  }

  public boolean healthy() {
    return state == State.HEALTHY;
  }
}
