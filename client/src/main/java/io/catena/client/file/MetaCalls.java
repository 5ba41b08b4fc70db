package io.catena.client.file;

import io.catena.client.CatenaException;
import io.catena.client.ClientErrorCode;
import io.catena.client.storage.RetryRules;
import io.catena.protocol.meta.MetaError;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs meta calls: the typed error from the {@code catena-meta-error-bin} trailer becomes a {@link
 * CatenaException}; an unreachable meta server (UNAVAILABLE without a typed error) and BUSY are
 * retried with back-off for at most the retry budget.
 */
final class MetaCalls {

  static final Metadata.Key<MetaError> TRAILER =
      Metadata.Key.of(
          "catena-meta-error" + Metadata.BINARY_HEADER_SUFFIX,
          ProtoUtils.metadataMarshaller(MetaError.getDefaultInstance()));

  private final Duration budget;

  MetaCalls(Duration budget) {
    this.budget = budget;
  }

  <T> T call(String what, Supplier<T> rpc) {
    long deadline = System.nanoTime() + budget.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return rpc.get();
      } catch (StatusRuntimeException e) {
        MetaError typed = e.getTrailers() == null ? null : e.getTrailers().get(TRAILER);
        boolean retry =
            typed == null
                ? e.getStatus().getCode() == Status.Code.UNAVAILABLE
                : typed.getRetryable();
        if (!retry || System.nanoTime() - deadline > 0) {
          throw failure(what, e, typed);
        }
        LockSupport.parkNanos(RetryRules.maxDelayMillis(attempt) * 1_000_000L);
        if (Thread.currentThread().isInterrupted()) {
          throw failure(what, e, typed);
        }
      }
    }
  }

  static CatenaException failure(String what, StatusRuntimeException e, MetaError typed) {
    if (typed == null) {
      return new CatenaException(
          RetryRules.code(e.getStatus().getCode()), what + ": meta answered " + e.getStatus(), e);
    }
    return new CatenaException(code(typed.getCode()), what + ": " + typed.getMessage(), e);
  }

  static ClientErrorCode code(io.catena.protocol.meta.MetaErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> ClientErrorCode.NOT_FOUND;
      case ALREADY_EXISTS -> ClientErrorCode.ALREADY_EXISTS;
      case NOT_EMPTY -> ClientErrorCode.NOT_EMPTY;
      case NOT_DIRECTORY -> ClientErrorCode.NOT_DIRECTORY;
      case IS_DIRECTORY -> ClientErrorCode.IS_DIRECTORY;
      case PERMISSION_DENIED -> ClientErrorCode.PERMISSION_DENIED;
      case UNAUTHENTICATED -> ClientErrorCode.UNAUTHENTICATED;
      case QUOTA_EXCEEDED -> ClientErrorCode.QUOTA_EXCEEDED;
      case STALE_LAYOUT -> ClientErrorCode.STALE_LAYOUT;
      case INVALID_ARGUMENT -> ClientErrorCode.INVALID_ARGUMENT;
      case NO_SESSION -> ClientErrorCode.BAD_HANDLE;
      case BUSY -> ClientErrorCode.BUSY;
      case INTERNAL, META_ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> ClientErrorCode.INTERNAL;
    };
  }
}
