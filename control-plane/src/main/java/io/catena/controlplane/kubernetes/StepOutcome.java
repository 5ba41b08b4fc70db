package io.catena.controlplane.kubernetes;

/** How one reconcile step ended: done, waiting for Kubernetes or a daemon, or failed. */
public record StepOutcome(Kind kind, String reason, String message) {

  /** The three ways a step ends; any but DONE stops the pass there. */
  public enum Kind {
    DONE,
    WAITING,
    FAILED
  }

  public static StepOutcome done(String message) {
    return new StepOutcome(Kind.DONE, "Done", message);
  }

  public static StepOutcome waiting(String reason, String message) {
    return new StepOutcome(Kind.WAITING, reason, message);
  }

  public static StepOutcome failed(String reason, String message) {
    return new StepOutcome(Kind.FAILED, reason, message);
  }

  public boolean isDone() {
    return kind == Kind.DONE;
  }
}
