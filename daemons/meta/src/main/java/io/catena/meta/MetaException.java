package io.catena.meta;

/** The one error type of the meta service: a code a user can look up and a message. */
public final class MetaException extends RuntimeException {

  private final MetaErrorCode code;

  public MetaException(MetaErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public MetaException(MetaErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public MetaErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code == MetaErrorCode.BUSY;
  }

  static MetaException notFound(String what) {
    return new MetaException(MetaErrorCode.NOT_FOUND, what + " does not exist");
  }

  static MetaException invalid(String message) {
    return new MetaException(MetaErrorCode.INVALID_ARGUMENT, message);
  }
}
