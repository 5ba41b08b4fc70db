package io.catena.storage.auth;

/** The token authority (meta) could not answer; distinct from a token it refused. */
public final class GrantSourceUnavailableException extends RuntimeException {
  public GrantSourceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
