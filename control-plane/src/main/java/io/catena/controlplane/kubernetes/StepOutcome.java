package io.catena.controlplane.kubernetes;

/**
 * How one reconcile step ended: done, waiting for Kubernetes or a daemon, or failed. {@code lost}
 * is set when the wait is for something the cluster already had (a storage pod whose node mgmtd
 * knows), which is what the Degraded condition reports.
 */
public record StepOutcome(Kind kind, String reason, String message, boolean lost) {

  /** The three ways a step ends; any but DONE stops the pass there. */
  public enum Kind {
    DONE,
    WAITING,
    FAILED
  }

  public static StepOutcome done(String message) {
    return new StepOutcome(Kind.DONE, "Done", message, false);
  }

  public static StepOutcome waiting(String reason, String message) {
    return new StepOutcome(Kind.WAITING, reason, message, false);
  }

  /** Waiting for members the cluster had and lost: the cluster runs degraded meanwhile. */
  public static StepOutcome lost(String reason, String message) {
    return new StepOutcome(Kind.WAITING, reason, message, true);
  }

  public static StepOutcome failed(String reason, String message) {
    return new StepOutcome(Kind.FAILED, reason, message, false);
  }

  public boolean isDone() {
    return kind == Kind.DONE;
  }
}
