package io.catena.meta;

import io.catena.protocol.meta.MetaError;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;

/**
 * How meta errors travel: a gRPC status whose code fits the error, plus the trailer {@link
 * #TRAILER} with the typed {@link MetaError}, which clients read with {@link #detail}.
 */
public final class GrpcErrors {

  public static final Metadata.Key<MetaError> TRAILER =
      Metadata.Key.of(
          "catena-meta-error" + Metadata.BINARY_HEADER_SUFFIX,
          ProtoUtils.metadataMarshaller(MetaError.getDefaultInstance()));

  private GrpcErrors() {}

  static Status.Code statusCode(MetaErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> Status.Code.NOT_FOUND;
      case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
      case NOT_EMPTY, NOT_DIRECTORY, IS_DIRECTORY, STALE_LAYOUT, NO_SESSION ->
          Status.Code.FAILED_PRECONDITION;
      case PERMISSION_DENIED -> Status.Code.PERMISSION_DENIED;
      case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
      case QUOTA_EXCEEDED -> Status.Code.RESOURCE_EXHAUSTED;
      case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
      case BUSY -> Status.Code.UNAVAILABLE;
      case INTERNAL -> Status.Code.INTERNAL;
    };
  }

  public static StatusRuntimeException toStatus(MetaException e) {
    Metadata trailers = new Metadata();
    trailers.put(
        TRAILER,
        MetaError.newBuilder()
            .setCode(ProtoMapper.code(e.code()))
            .setMessage(e.getMessage())
            .setRetryable(e.retryable())
            .build());
    return Status.fromCode(statusCode(e.code()))
        .withDescription(e.code() + ": " + e.getMessage())
        .asRuntimeException(trailers);
  }

  /** The typed error of a failed call, or INTERNAL when the server sent none. */
  public static MetaError detail(StatusRuntimeException e) {
    Metadata trailers = e.getTrailers();
    MetaError error = trailers == null ? null : trailers.get(TRAILER);
    if (error != null) {
      return error;
    }
    return MetaError.newBuilder()
        .setCode(io.catena.protocol.meta.MetaErrorCode.INTERNAL)
        .setMessage(String.valueOf(e.getStatus()))
        .build();
  }
}
