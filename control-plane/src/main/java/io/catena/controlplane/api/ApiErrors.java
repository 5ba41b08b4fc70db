package io.catena.controlplane.api;

import io.catena.controlplane.driver.DriverException;
import io.catena.controlplane.mgmtd.MgmtdException;
import io.catena.controlplane.tenant.TenantException;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * The control plane API's one error mapping: a gRPC status with a {@code catena.common.ErrorDetail}
 * in the trailers ({@code catena.common.errordetail-bin}). Services of this API (ControlPlane and
 * Operations) answer through {@link #answer}.
 */
public final class ApiErrors {

  public static final Metadata.Key<ErrorDetail> ERROR_DETAIL =
      ProtoUtils.keyForProto(ErrorDetail.getDefaultInstance());

  private ApiErrors() {}

  /** Runs {@code call} and sends its answer, or the status its exception maps to. */
  public static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    T value;
    try {
      value = call.get();
    } catch (RuntimeException e) {
      out.onError(toStatus(e));
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }

  public static StatusRuntimeException toStatus(RuntimeException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return switch (e) {
      case StatusRuntimeException s -> s;
      case IllegalArgumentException x ->
          status(Status.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, message, false);
      case UnsupportedOperationException x ->
          status(Status.UNIMPLEMENTED, ErrorCode.INVALID_ARGUMENT, message, false);
      case TenantException t ->
          switch (t.reason()) {
            case INVALID ->
                status(Status.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, message, false);
            case NOT_FOUND -> status(Status.NOT_FOUND, ErrorCode.NOT_FOUND, message, false);
            case REFUSED -> status(Status.FAILED_PRECONDITION, ErrorCode.NOT_EMPTY, message, false);
            case ALREADY_EXISTS ->
                status(Status.ALREADY_EXISTS, ErrorCode.ALREADY_EXISTS, message, false);
            case UNAVAILABLE -> status(Status.UNAVAILABLE, ErrorCode.UNAVAILABLE, message, true);
          };
      case MgmtdException x -> status(Status.UNAVAILABLE, ErrorCode.UNAVAILABLE, message, true);
      case DriverException x -> status(Status.UNAVAILABLE, ErrorCode.UNAVAILABLE, message, true);
      default -> status(Status.INTERNAL, ErrorCode.INTERNAL, message, false);
    };
  }

  public static StatusRuntimeException status(
      Status status, ErrorCode code, String message, boolean retryable) {
    Metadata trailers = new Metadata();
    trailers.put(
        ERROR_DETAIL,
        ErrorDetail.newBuilder().setCode(code).setMessage(message).setRetryable(retryable).build());
    return status.withDescription(message).asRuntimeException(trailers);
  }
}
