package io.catena.mgmtd.service;

import io.catena.kv.KvException;
import io.catena.mgmtd.cluster.MgmtdException;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import java.util.function.Function;
import java.util.function.Supplier;

/** Runs a call and turns its failure into the {@link ErrorDetail} of the response. */
final class Errors {
  private Errors() {}

  static <T> T answer(Supplier<T> call, Function<ErrorDetail, T> onError) {
    try {
      return call.get();
    } catch (MgmtdException e) {
      return onError.apply(e.toDetail());
    } catch (KvException e) {
      return onError.apply(
          ErrorDetail.newBuilder()
              .setCode(ErrorCode.UNAVAILABLE)
              .setMessage("mgmtd's KvEngine failed: " + e.getMessage())
              .setRetryable(e.retryable())
              .build());
    }
  }
}
