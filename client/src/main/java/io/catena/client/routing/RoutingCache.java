package io.catena.client.routing;

import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.routing.MgmtdClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's copy of mgmtd's routing info, kept current three ways: the {@code WatchRoutingInfo}
 * stream (pushed on every change, across mgmtd failovers), a periodic re-fetch (heals a stream that
 * silently stalled), and {@link #refreshSoon()}, which I/O calls after a retryable failure.
 * Versions only move forward.
 */
public final class RoutingCache implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RoutingCache.class);

  /** A burst of failing I/Os asks mgmtd at most once per this interval. */
  static final long MIN_REFRESH_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final MgmtdClient mgmtd;
  private final AtomicBoolean fetching = new AtomicBoolean();
  private final Object changeLock = new Object();
  private volatile RoutingSnapshot current = RoutingSnapshot.EMPTY;
  private CompletableFuture<RoutingSnapshot> nextChange = new CompletableFuture<>();
  private volatile long lastFetchNanos = System.nanoTime() - MIN_REFRESH_GAP_NANOS;
  private AutoCloseable watch;
  private ScheduledExecutorService refresher;
  private volatile boolean closed;
  private final java.util.List<java.util.function.Consumer<RoutingSnapshot>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private RoutingCache(MgmtdClient mgmtd) {
    this.mgmtd = mgmtd;
  }

  /** Starts following mgmtd; {@code mgmtd} stays the caller's to close. */
  public static RoutingCache start(MgmtdClient mgmtd, Duration refreshInterval) {
    RoutingCache cache = new RoutingCache(mgmtd);
    cache.watch = mgmtd.watchRouting(cache::apply);
    cache.refresher =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("catena-routing-refresh").factory());
    long every = refreshInterval.toMillis();
    cache.refresher.scheduleWithFixedDelay(cache::fetch, every, every, TimeUnit.MILLISECONDS);
    return cache;
  }

  /** A cache fed only through {@link #apply} (tests). */
  public static RoutingCache detached() {
    return new RoutingCache(null);
  }

  public RoutingSnapshot current() {
    return current;
  }

  /** Installs {@code info} if it is newer than what is held, and wakes whoever waits for it. */
  public void apply(RoutingInfo info) {
    CompletableFuture<RoutingSnapshot> toComplete;
    RoutingSnapshot snapshot;
    synchronized (changeLock) {
      if (info.getVersion() <= current.version()) {
        return;
      }
      snapshot = RoutingSnapshot.of(info);
      current = snapshot;
      toComplete = nextChange;
      nextChange = new CompletableFuture<>();
    }
    log.debug("routing version {} ({} chains)", snapshot.version(), snapshot.chainCount());
    toComplete.complete(snapshot);
    for (var listener : listeners) {
      try {
        listener.accept(snapshot);
      } catch (RuntimeException e) {
        log.warn("a routing listener failed", e);
      }
    }
  }

  /** Calls {@code listener} with every newer snapshot, on the thread that installed it. */
  public void subscribe(java.util.function.Consumer<RoutingSnapshot> listener) {
    listeners.add(listener);
  }

  /** Completes once the held routing is newer than {@code version} (at once if it already is). */
  public CompletableFuture<RoutingSnapshot> newerThan(long version) {
    synchronized (changeLock) {
      if (current.version() > version) {
        return CompletableFuture.completedFuture(current);
      }
      return nextChange;
    }
  }

  /** Waits for the first routing info; false if none arrived within {@code timeout}. */
  public boolean awaitFirst(Duration timeout) throws InterruptedException {
    try {
      newerThan(0).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return current.version() > 0;
    }
  }

  /**
   * Asks mgmtd for newer routing in the background; coalesced (one fetch at a time) and
   * rate-limited, so any number of failing I/Os may call it.
   */
  public void refreshSoon() {
    if (mgmtd == null || closed) {
      return;
    }
    if (System.nanoTime() - lastFetchNanos < MIN_REFRESH_GAP_NANOS) {
      return;
    }
    if (fetching.compareAndSet(false, true)) {
      Thread.ofVirtual()
          .name("catena-routing-fetch")
          .start(
              () -> {
                try {
                  fetchOnce();
                } finally {
                  fetching.set(false);
                }
              });
    }
  }

  private void fetch() {
    if (fetching.compareAndSet(false, true)) {
      try {
        fetchOnce();
      } finally {
        fetching.set(false);
      }
    }
  }

  private void fetchOnce() {
    lastFetchNanos = System.nanoTime();
    try {
      mgmtd.routingInfo(current.version()).ifPresent(this::apply);
    } catch (RuntimeException e) {
      if (!closed) {
        log.warn("fetching routing info from mgmtd failed: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (refresher != null) {
      refresher.shutdownNow();
    }
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        log.debug("closing the routing watch: {}", e.getMessage());
      }
    }
  }
}
