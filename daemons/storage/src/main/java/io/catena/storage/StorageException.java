package io.catena.storage;

/**
 * A storage operation failed with a code a caller can act on. {@code currentVersion} is the chain
 * version the server holds, set for {@link StorageErrorCode#STALE_CHAIN_VERSION}.
 */
public final class StorageException extends RuntimeException {
  private final StorageErrorCode code;
  private final long currentVersion;

  public StorageException(StorageErrorCode code, String message) {
    this(code, message, 0, null);
  }

  public StorageException(StorageErrorCode code, String message, Throwable cause) {
    this(code, message, 0, cause);
  }

  public StorageException(
      StorageErrorCode code, String message, long currentVersion, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.currentVersion = currentVersion;
  }

  public static StorageException staleChain(int chainId, long requested, long current) {
    return new StorageException(
        StorageErrorCode.STALE_CHAIN_VERSION,
        "chain "
            + chainId
            + " is at version "
            + current
            + ", request carried "
            + requested
            + ": refresh routing and retry",
        current,
        null);
  }

  public StorageErrorCode code() {
    return code;
  }

  public long currentVersion() {
    return currentVersion;
  }

  public boolean retryable() {
    return code.retryable();
  }
}
