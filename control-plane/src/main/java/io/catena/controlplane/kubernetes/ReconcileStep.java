package io.catena.controlplane.kubernetes;

/**
 * One small idempotent step of a reconcile pass. A step acts at most once per pass and never waits:
 * when what it needs is not there yet it returns WAITING and the pass is rescheduled.
 */
public interface ReconcileStep {

  /** Short and stable: {@code mgmtd}, {@code chain-table}; status and events use it. */
  String name();

  StepOutcome run(StepContext context);
}
