package io.catena.controlplane.ops;

/** Turns a request into an executable plan, or refuses it; never changes the cluster. */
public interface OperationPlanner {

  /**
   * @throws OperationRefusedException when a safety rule forbids it, with the reason
   * @throws IllegalArgumentException for bad input (an unknown target or node)
   */
  ExecutionPlan plan(OperationRequest request);
}
