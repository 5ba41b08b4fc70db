package io.catena.controlplane.reconcile;

/**
 * One idempotent step of a reconcile pass. A step looks, acts at most once, and returns; it never
 * waits for its effect (the reconciler runs the pass again soon, and the step sees then whether its
 * effect arrived). Exceptions count as FAILED with their message.
 */
public interface ReconcileStep {

  /** A short kebab-case name shown in the status ({@code agents-joined}, {@code mgmtd}, ...). */
  String name();

  StepResult run(ReconcileContext context);
}
