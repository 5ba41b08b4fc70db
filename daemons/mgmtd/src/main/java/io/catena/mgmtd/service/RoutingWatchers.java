package io.catena.mgmtd.service;

import io.catena.protocol.mgmtd.RoutingInfo;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The open WatchRoutingInfo streams; each new routing version is pushed to all of them. */
final class RoutingWatchers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RoutingWatchers.class);

  private final Set<StreamObserver<RoutingInfo>> watchers = ConcurrentHashMap.newKeySet();
  private final ExecutorService pusher =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("routing-push").factory());

  void add(StreamObserver<RoutingInfo> observer, RoutingInfo current) {
    if (observer instanceof ServerCallStreamObserver<RoutingInfo> call) {
      call.setOnCancelHandler(() -> watchers.remove(observer));
    }
    watchers.add(observer);
    submit(() -> send(observer, current));
  }

  /** Pushes the info {@code routing} supplies, off the caller's thread. */
  void publish(Supplier<RoutingInfo> routing) {
    submit(
        () -> {
          if (watchers.isEmpty()) {
            return;
          }
          RoutingInfo info;
          try {
            info = routing.get();
          } catch (RuntimeException e) {
            return;
          }
          for (StreamObserver<RoutingInfo> w : watchers) {
            send(w, info);
          }
        });
  }

  /** Ends every stream, e.g. when this instance stops being primary; watchers reconnect. */
  void closeAll(RuntimeException why) {
    submit(
        () -> {
          for (StreamObserver<RoutingInfo> w : watchers) {
            watchers.remove(w);
            try {
              w.onError(
                  io.grpc.Status.UNAVAILABLE
                      .withDescription(why.getMessage())
                      .asRuntimeException());
            } catch (RuntimeException ignored) {
              // already closed by the client
            }
          }
        });
  }

  private void submit(Runnable task) {
    try {
      pusher.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("routing push after shutdown dropped");
    }
  }

  private void send(StreamObserver<RoutingInfo> observer, RoutingInfo info) {
    try {
      observer.onNext(info);
    } catch (RuntimeException e) {
      log.debug("dropping a routing watcher: {}", e.getMessage());
      watchers.remove(observer);
    }
  }

  @Override
  public void close() {
    pusher.shutdownNow();
  }
}
