package io.catena.controlplane.mgmtd;

/** mgmtd refused a call or could not be reached; the message says which and why. */
public final class MgmtdException extends RuntimeException {
  public MgmtdException(String message) {
    super(message);
  }

  public MgmtdException(String message, Throwable cause) {
    super(message, cause);
  }
}
