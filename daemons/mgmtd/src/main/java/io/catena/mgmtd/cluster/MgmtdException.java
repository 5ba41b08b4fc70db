package io.catena.mgmtd.cluster;

import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;

/** A refused or failed mgmtd call, with the code the caller sees in {@link ErrorDetail}. */
public final class MgmtdException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public MgmtdException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code == ErrorCode.NOT_PRIMARY || code == ErrorCode.UNAVAILABLE;
  }

  public ErrorDetail toDetail() {
    return ErrorDetail.newBuilder()
        .setCode(code)
        .setMessage(getMessage())
        .setRetryable(retryable())
        .build();
  }

  static MgmtdException invalid(String message) {
    return new MgmtdException(ErrorCode.INVALID_ARGUMENT, message);
  }

  static MgmtdException notFound(String message) {
    return new MgmtdException(ErrorCode.NOT_FOUND, message);
  }
}
