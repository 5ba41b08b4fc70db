package io.catena.controlplane.reconcile;

import io.catena.controlplane.status.ClusterStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconcile passes on one thread: each pass schedules the next after its requeue delay, and
 * {@link #trigger()} (an agent joined, an operator asked) runs one at once.
 */
public final class ReconcileLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);

  private final Reconciler reconciler;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "reconcile"));
  private final List<Consumer<ClusterStatus>> listeners = new CopyOnWriteArrayList<>();
  private ScheduledFuture<?> next;

  public ReconcileLoop(Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  /** Called with the status after every pass (on the reconcile thread). */
  public void onStatus(Consumer<ClusterStatus> listener) {
    listeners.add(listener);
  }

  public void start() {
    schedule(Duration.ZERO);
  }

  /** Runs a pass as soon as the current one (if any) ends. */
  public void trigger() {
    schedule(Duration.ZERO);
  }

  private synchronized void schedule(Duration delay) {
    if (executor.isShutdown()) {
      return;
    }
    if (next != null && !next.isDone()) {
      if (next.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
        return;
      }
      next.cancel(false);
    }
    next = executor.schedule(this::runPass, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runPass() {
    Duration again = Reconciler.BUSY_REQUEUE;
    try {
      Reconciler.Pass pass = reconciler.pass();
      again = pass.requeueAfter();
      for (Consumer<ClusterStatus> l : listeners) {
        l.accept(pass.status());
      }
    } catch (RuntimeException e) {
      log.warn("reconcile pass failed", e);
    }
    synchronized (this) {
      next = null;
    }
    schedule(again);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
