package io.catena.controlplane.driver;

/**
 * A driver could not act on a node (agent unreachable, refused); the message says which and why.
 */
public final class DriverException extends RuntimeException {
  public DriverException(String message) {
    super(message);
  }

  public DriverException(String message, Throwable cause) {
    super(message, cause);
  }
}
