package io.catena.kv;

/**
 * A KvEngine failure. {@link #retryable()} tells the retry loop whether trying again may succeed.
 */
public class KvException extends RuntimeException {

  private final boolean retryable;

  public KvException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public KvException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
