package io.catena.client.kv;

import io.catena.client.CatenaException;
import io.catena.client.ClientErrorCode;
import io.catena.client.storage.RetryRules;
import io.catena.protocol.meta.MetaError;
import io.catena.protocol.meta.MetaErrorCode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Runs KV index calls on meta: retryable failures (meta unreachable, BUSY) are retried with
 * back-off within the budget; the typed error of the {@code catena-meta-error-bin} trailer becomes
 * a {@link CatenaException}, except NO_SESSION, which {@link KvSessionLost} reports so the client
 * can open a new session.
 */
final class KvCalls {

  static final Metadata.Key<MetaError> TRAILER =
      Metadata.Key.of(
          "catena-meta-error" + Metadata.BINARY_HEADER_SUFFIX,
          ProtoUtils.metadataMarshaller(MetaError.getDefaultInstance()));

  /** The writer session named in a call is gone (expired or closed). */
  static final class KvSessionLost extends RuntimeException {
    KvSessionLost(String message) {
      super(message, null, false, false);
    }
  }

  private final Duration budget;

  KvCalls(Duration budget) {
    this.budget = budget;
  }

  <T> T call(String what, Supplier<T> rpc) {
    long deadline = System.nanoTime() + budget.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return rpc.get();
      } catch (StatusRuntimeException e) {
        MetaError typed = e.getTrailers() == null ? null : e.getTrailers().get(TRAILER);
        if (typed != null && typed.getCode() == MetaErrorCode.NO_SESSION) {
          throw new KvSessionLost(typed.getMessage());
        }
        boolean retry =
            typed == null
                ? e.getStatus().getCode() == Status.Code.UNAVAILABLE
                : typed.getRetryable();
        if (!retry || System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
          throw failure(what, e, typed);
        }
        LockSupport.parkNanos(RetryRules.maxDelayMillis(attempt) * 1_000_000L);
      }
    }
  }

  private static CatenaException failure(String what, StatusRuntimeException e, MetaError typed) {
    if (typed == null) {
      return new CatenaException(
          RetryRules.code(e.getStatus().getCode()), what + ": meta answered " + e.getStatus(), e);
    }
    ClientErrorCode code =
        switch (typed.getCode()) {
          case NOT_FOUND -> ClientErrorCode.NOT_FOUND;
          case PERMISSION_DENIED -> ClientErrorCode.PERMISSION_DENIED;
          case UNAUTHENTICATED -> ClientErrorCode.UNAUTHENTICATED;
          case QUOTA_EXCEEDED -> ClientErrorCode.QUOTA_EXCEEDED;
          case INVALID_ARGUMENT -> ClientErrorCode.INVALID_ARGUMENT;
          case BUSY -> ClientErrorCode.BUSY;
          default -> ClientErrorCode.INTERNAL;
        };
    return new CatenaException(code, what + ": " + typed.getMessage(), e);
  }
}
