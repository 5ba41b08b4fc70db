package io.catena.storage;

/** Why a storage operation failed; each maps to a wire {@code ErrorCode} (see docs/storage.md). */
public enum StorageErrorCode {
  NOT_FOUND(false),
  INVALID_ARGUMENT(false),
  PERMISSION_DENIED(false),
  /** The request's chain version differs from the one this target holds: refresh routing, retry. */
  STALE_CHAIN_VERSION(true),
  /** This target is not the head (write) or not SERVING (read) in the current routing: retry. */
  NOT_SERVING(true),
  /** A successor was asked to apply a version whose predecessor it does not hold. */
  MISSING_UPDATE(true),
  CHECKSUM_MISMATCH(false),
  NO_SPACE(false),
  /** A peer could not be reached in time, or the target is syncing/offline locally. */
  UNAVAILABLE(true),
  /** The disk failed under the target; the target went OFFLINE. */
  IO_ERROR(false),
  INTERNAL(false);

  private final boolean retryable;

  StorageErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
