package io.catena.meta;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one unary call: the reply on success, the typed error otherwise. */
final class Calls {

  private static final Logger log = LoggerFactory.getLogger(Calls.class);

  private Calls() {}

  static <R> void unary(StreamObserver<R> observer, Supplier<R> body) {
    R reply;
    try {
      reply = body.get();
    } catch (MetaException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    } catch (RuntimeException e) {
      log.error("meta call failed unexpectedly", e);
      observer.onError(
          Status.INTERNAL.withDescription("INTERNAL: " + e).withCause(e).asRuntimeException());
      return;
    }
    observer.onNext(reply);
    observer.onCompleted();
  }
}
