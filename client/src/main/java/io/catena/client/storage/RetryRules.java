package io.catena.client.storage;

import io.catena.client.ClientErrorCode;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.grpc.Status;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pure rules of the I/O retry loop: which failures are retried (after a routing refresh), what a
 * final failure is called, and how long to wait between attempts.
 */
public final class RetryRules {

  static final long FIRST_DELAY_MS = 10;
  static final long MAX_DELAY_MS = 500;

  private RetryRules() {}

  /** A storage answer: retried when the server says so or the routing may be stale. */
  public static boolean retryable(ErrorDetail error) {
    return error.getRetryable()
        || switch (error.getCode()) {
          case STALE_ROUTING, STALE_CHAIN_VERSION, TARGET_NOT_SERVING, NOT_PRIMARY, UNAVAILABLE ->
              true;
          default -> false;
        };
  }

  /**
   * A transport failure: the replica is unreachable, slow, or went away mid-call (a server shutting
   * down resets its streams, which the client sees as CANCELLED; the client's own close is checked
   * before this rule).
   */
  public static boolean retryable(Status.Code code) {
    return switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, CANCELLED -> true;
      default -> false;
    };
  }

  /** Whether the failure says this replica should be avoided (rather than the routing is old). */
  public static boolean blamesReplica(ErrorDetail error) {
    return error.getCode() == ErrorCode.TARGET_NOT_SERVING
        || error.getCode() == ErrorCode.UNAVAILABLE;
  }

  /** The client's code for a storage error that is not retried. */
  public static ClientErrorCode code(ErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> ClientErrorCode.NOT_FOUND;
      case PERMISSION_DENIED -> ClientErrorCode.PERMISSION_DENIED;
      case QUOTA_EXCEEDED -> ClientErrorCode.QUOTA_EXCEEDED;
      case INVALID_ARGUMENT -> ClientErrorCode.INVALID_ARGUMENT;
      case CHECKSUM_MISMATCH -> ClientErrorCode.CHECKSUM_MISMATCH;
      case ALREADY_EXISTS -> ClientErrorCode.ALREADY_EXISTS;
      case NOT_EMPTY -> ClientErrorCode.NOT_EMPTY;
      case STALE_ROUTING, STALE_CHAIN_VERSION, TARGET_NOT_SERVING, NOT_PRIMARY, UNAVAILABLE ->
          ClientErrorCode.UNAVAILABLE;
      case INTERNAL, ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> ClientErrorCode.INTERNAL;
    };
  }

  /** The client's code for a transport failure that is not retried. */
  public static ClientErrorCode code(Status.Code code) {
    return switch (code) {
      case UNAUTHENTICATED -> ClientErrorCode.UNAUTHENTICATED;
      case PERMISSION_DENIED -> ClientErrorCode.PERMISSION_DENIED;
      case INVALID_ARGUMENT, OUT_OF_RANGE -> ClientErrorCode.INVALID_ARGUMENT;
      case NOT_FOUND -> ClientErrorCode.NOT_FOUND;
      case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, CANCELLED ->
          ClientErrorCode.UNAVAILABLE;
      default -> ClientErrorCode.INTERNAL;
    };
  }

  /**
   * The longest wait before attempt {@code attempt} (1-based): 10 ms doubling to 500 ms. The caller
   * draws the actual wait uniformly from its upper half (jitter), and wakes earlier when newer
   * routing arrives.
   */
  public static long maxDelayMillis(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 16);
    return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS << shift);
  }

  static long jitteredDelayMillis(int attempt) {
    long max = maxDelayMillis(attempt);
    return ThreadLocalRandom.current().nextLong(max / 2, max + 1);
  }
}
