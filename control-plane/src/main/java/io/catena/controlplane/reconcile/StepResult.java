package io.catena.controlplane.reconcile;

/** How one reconcile step ended: its outcome and a message for people. */
public record StepResult(Outcome outcome, String message) {

  /** The closed set of outcomes; only DONE and SKIPPED let the next step run. */
  public enum Outcome {
    DONE,
    PROGRESSING,
    WAITING,
    FAILED,
    SKIPPED
  }

  public static StepResult done(String message) {
    return new StepResult(Outcome.DONE, message);
  }

  public static StepResult progressing(String message) {
    return new StepResult(Outcome.PROGRESSING, message);
  }

  public static StepResult waiting(String message) {
    return new StepResult(Outcome.WAITING, message);
  }

  public static StepResult failed(String message) {
    return new StepResult(Outcome.FAILED, message);
  }

  public static StepResult skipped(String message) {
    return new StepResult(Outcome.SKIPPED, message);
  }

  public boolean letsNextRun() {
    return outcome == Outcome.DONE || outcome == Outcome.SKIPPED;
  }
}
