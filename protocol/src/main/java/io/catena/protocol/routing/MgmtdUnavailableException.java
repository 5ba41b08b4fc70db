package io.catena.protocol.routing;

/** No primary mgmtd answered within the client's failover timeout. */
public final class MgmtdUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MgmtdUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
