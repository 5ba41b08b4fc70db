package io.catena.console;

import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.WatchEventsRequest;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The control plane's event stream, kept open while the console runs: each event is added (newest
 * first, the last {@value #KEEP} kept) on the FX thread. A broken stream is reported and re-opened
 * with back-off.
 */
public final class EventFeed implements AutoCloseable {

  static final int KEEP = 500;
  private static final String WHAT = "watch events";

  private final ControlPlaneApi api;
  private final ErrorSink errors;
  private final ObservableList<Event> events = FXCollections.observableArrayList();
  private final ScheduledExecutorService retry =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-events");
            t.setDaemon(true);
            return t;
          });
  private volatile Context.CancellableContext call;
  private volatile boolean closed;
  private long lastSequence = -1;

  public EventFeed(ControlPlaneApi api, ErrorSink errors) {
    this.api = api;
    this.errors = errors;
  }

  /** Newest first; read and observed on the FX thread. */
  public ObservableList<Event> events() {
    return events;
  }

  public void start() {
    open(200, 0);
  }

  private void open(int replay, int failures) {
    if (closed) {
      return;
    }
    Context.CancellableContext context = Context.current().withCancellation();
    call = context;
    context.run(
        () ->
            api.operationsStreaming()
                .watchEvents(
                    WatchEventsRequest.newBuilder().setReplay(replay).build(),
                    new StreamObserver<>() {
                      @Override
                      public void onNext(Event event) {
                        Platform.runLater(() -> add(event));
                      }

                      @Override
                      public void onError(Throwable t) {
                        if (closed) {
                          return;
                        }
                        Platform.runLater(() -> errors.report(WHAT, t));
                        long backoff = Math.min(30_000, 1_000L << Math.min(failures, 5));
                        retry.schedule(
                            () -> open(50, failures + 1), backoff, TimeUnit.MILLISECONDS);
                      }

                      @Override
                      public void onCompleted() {
                        if (!closed) {
                          retry.schedule(() -> open(50, 0), 1, TimeUnit.SECONDS);
                        }
                      }
                    }));
  }

  private void add(Event event) {
    errors.clear(WHAT);
    if (event.getSequence() <= lastSequence) {
      return; // replayed after a reconnect
    }
    lastSequence = event.getSequence();
    events.addFirst(event);
    if (events.size() > KEEP) {
      events.remove(KEEP, events.size());
    }
  }

  @Override
  public void close() {
    closed = true;
    Context.CancellableContext c = call;
    if (c != null) {
      c.cancel(null);
    }
    retry.shutdownNow();
  }
}
