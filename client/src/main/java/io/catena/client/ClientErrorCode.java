package io.catena.client;

/** Why a client call failed; docs/client.md lists what each means and what to do. */
public enum ClientErrorCode {
  /** A path, file, inode or chunk does not exist (or belongs to another tenant). */
  NOT_FOUND(false),
  ALREADY_EXISTS(false),
  NOT_EMPTY(false),
  NOT_DIRECTORY(false),
  IS_DIRECTORY(false),
  PERMISSION_DENIED(false),
  /** The token is missing, malformed, unknown, revoked or expired. */
  UNAUTHENTICATED(false),
  QUOTA_EXCEEDED(false),
  /** The file's chain table version is gone; copy the file to lay it out anew. */
  STALE_LAYOUT(false),
  INVALID_ARGUMENT(false),
  /** Data does not match its CRC32C. */
  CHECKSUM_MISMATCH(false),
  /** The file handle is not open for this (closed, or opened read-only). */
  BAD_HANDLE(false),
  /** Retries ran out: no replica, head or meta server answered within the retry budget. */
  UNAVAILABLE(true),
  /** Meta is busy (contention, or storage unreachable for a pending removal); retry later. */
  BUSY(true),
  INTERNAL(false);

  private final boolean retryable;

  ClientErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether the same call may succeed later. */
  public boolean retryable() {
    return retryable;
  }
}
