package io.catena.controlplane.ops;

/** One executable step of an operation: idempotent where it can be, bounded in time. */
public interface ExecStep {

  String description();

  /** Bytes this step copies between nodes (0 for reconfiguration only). */
  long bytes();

  /** Does the step; throws with a message saying what failed. */
  void run(StepContext context) throws Exception;
}
