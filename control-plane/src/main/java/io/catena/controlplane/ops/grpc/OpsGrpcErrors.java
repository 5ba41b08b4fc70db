package io.catena.controlplane.ops.grpc;

import io.catena.controlplane.mgmtd.MgmtdException;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.util.NoSuchElementException;

/**
 * How the Operations service reports failures: a gRPC status whose code fits, with a {@link
 * ErrorDetail} in the {@link #TRAILER} trailer; the description is the one line a CLI prints.
 */
public final class OpsGrpcErrors {

  public static final Metadata.Key<ErrorDetail> TRAILER =
      Metadata.Key.of(
          "catena-error" + Metadata.BINARY_HEADER_SUFFIX,
          ProtoUtils.metadataMarshaller(ErrorDetail.getDefaultInstance()));

  private OpsGrpcErrors() {}

  public static StatusRuntimeException toStatus(RuntimeException e) {
    ErrorCode code;
    Status.Code status;
    boolean retryable = false;
    switch (e) {
      case NoSuchElementException n -> {
        code = ErrorCode.NOT_FOUND;
        status = Status.Code.NOT_FOUND;
      }
      case IllegalArgumentException i -> {
        code = ErrorCode.INVALID_ARGUMENT;
        status = Status.Code.INVALID_ARGUMENT;
      }
      case IllegalStateException i -> {
        code = ErrorCode.INVALID_ARGUMENT;
        status = Status.Code.FAILED_PRECONDITION;
      }
      case UnsupportedOperationException u -> {
        code = ErrorCode.INVALID_ARGUMENT;
        status = Status.Code.UNIMPLEMENTED;
      }
      case MgmtdException m -> {
        code = ErrorCode.UNAVAILABLE;
        status = Status.Code.UNAVAILABLE;
        retryable = true;
      }
      default -> {
        code = ErrorCode.INTERNAL;
        status = Status.Code.INTERNAL;
      }
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    Metadata trailers = new Metadata();
    trailers.put(
        TRAILER,
        ErrorDetail.newBuilder().setCode(code).setMessage(message).setRetryable(retryable).build());
    return Status.fromCode(status).withDescription(message).asRuntimeException(trailers);
  }
}
