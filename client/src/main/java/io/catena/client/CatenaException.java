package io.catena.client;

/** A failed client call: a {@link ClientErrorCode} and a message saying what failed and why. */
public final class CatenaException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ClientErrorCode code;

  public CatenaException(ClientErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public CatenaException(ClientErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ClientErrorCode code() {
    return code;
  }

  @Override
  public String getMessage() {
    return code + ": " + super.getMessage();
  }
}
