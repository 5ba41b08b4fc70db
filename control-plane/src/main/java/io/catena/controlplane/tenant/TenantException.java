package io.catena.controlplane.tenant;

/** meta refused a tenant call or could not be reached. */
public final class TenantException extends RuntimeException {

  /** Why: the caller's mistake, something missing, or meta unavailable. */
  public enum Reason {
    INVALID,
    NOT_FOUND,
    ALREADY_EXISTS,
    /** meta refused for the state of things (a tenant that still holds data). */
    REFUSED,
    UNAVAILABLE
  }

  private final Reason reason;

  public TenantException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
