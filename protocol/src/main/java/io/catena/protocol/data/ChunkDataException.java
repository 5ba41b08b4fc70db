package io.catena.protocol.data;

import io.catena.protocol.common.ErrorCode;

/**
 * A data-channel read failed: the storage daemon refused it (the same codes as the gRPC read), the
 * bytes failed their CRC32C check, or the connection broke or timed out ({@code UNAVAILABLE},
 * retryable).
 */
public final class ChunkDataException extends RuntimeException {
  private final ErrorCode code;
  private final boolean retryable;
  private final long currentVersion;

  public ChunkDataException(
      ErrorCode code, String message, boolean retryable, long currentVersion, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
    this.retryable = retryable;
    this.currentVersion = currentVersion;
  }

  public ErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }

  /** The chain's current version when the code is {@code STALE_CHAIN_VERSION}, else 0. */
  public long currentVersion() {
    return currentVersion;
  }
}
