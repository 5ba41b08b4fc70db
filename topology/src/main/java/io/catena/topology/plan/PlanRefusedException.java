package io.catena.topology.plan;

/**
 * The cluster cannot be changed as asked without breaking a rule (failure domains, serving
 * replicas, room); the message says which and what would make it possible. Nothing was planned.
 */
public final class PlanRefusedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PlanRefusedException(String message) {
    super(message);
  }
}
