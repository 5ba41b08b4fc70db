package io.catena.agents;

/** A request the agent refuses, with the reason a caller can act on. */
public final class AgentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why: the daemon does not exist, the request is malformed, or the daemon's state forbids it. */
  public enum Reason {
    NOT_FOUND,
    INVALID_ARGUMENT,
    FAILED_PRECONDITION
  }

  private final Reason reason;

  public AgentException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static AgentException notFound(String name) {
    return new AgentException(
        Reason.NOT_FOUND, "no daemon named '" + name + "' is deployed on this node");
  }
}
