package io.catena.meta;

import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.routing.MgmtdClient;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chain tables as mgmtd publishes them in its routing info: followed through {@code
 * WatchRoutingInfo}, re-fetched every refresh interval (a missed stream message heals), and fetched
 * at once, for a bounded time, when a lookup misses (a table uploaded a moment ago). Every version
 * ever seen is kept, so a file created under an older version of a table still resolves even if a
 * later routing info stopped listing it.
 */
public final class MgmtdChainTableCatalog implements ChainTableCatalog, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MgmtdChainTableCatalog.class);

  /** How long a lookup that misses waits for a fresh fetch from mgmtd. */
  static final Duration MISS_WAIT = Duration.ofSeconds(2);

  /** A missing table triggers at most one fetch per this interval. */
  static final Duration MISS_FETCH_INTERVAL = Duration.ofMillis(500);

  private final Map<Integer, NavigableMap<Integer, ChainTable>> tables = new ConcurrentHashMap<>();
  private final CountDownLatch firstInfo = new CountDownLatch(1);
  private final AtomicReference<CompletableFuture<Void>> fetching = new AtomicReference<>();
  private final MgmtdClient mgmtd;
  private final AtomicReference<RoutingInfo> latest = new AtomicReference<>();
  private volatile long version;
  private volatile long lastMissFetchNanos = System.nanoTime() - MISS_FETCH_INTERVAL.toNanos();
  private AutoCloseable watch;
  private ScheduledExecutorService refresher;

  private MgmtdChainTableCatalog(MgmtdClient mgmtd) {
    this.mgmtd = mgmtd;
  }

  /** Starts following mgmtd's routing info; the client stays the caller's to close. */
  public static MgmtdChainTableCatalog start(MgmtdClient mgmtd, Duration refreshInterval) {
    MgmtdChainTableCatalog catalog = new MgmtdChainTableCatalog(mgmtd);
    catalog.watch = mgmtd.watchRouting(catalog::apply);
    catalog.refresher =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("meta-chain-table-refresh").factory());
    long every = Math.max(1, refreshInterval.toMillis());
    catalog.refresher.scheduleWithFixedDelay(
        catalog::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
    return catalog;
  }

  /** A catalog fed by hand (tests of the merge rules). */
  static MgmtdChainTableCatalog detached() {
    return new MgmtdChainTableCatalog(null);
  }

  /** Waits until the first routing info arrived; false if it did not within {@code timeout}. */
  public boolean awaitFirstRouting(Duration timeout) throws InterruptedException {
    return firstInfo.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The routing version last applied (0 before any). */
  public long routingVersion() {
    return version;
  }

  /** The newest routing info seen (where chain heads are, for chunk removal). */
  public Optional<RoutingInfo> latestRouting() {
    return Optional.ofNullable(latest.get());
  }

  /** Adds every table version of {@code info}; versions already known are never dropped. */
  void apply(RoutingInfo info) {
    for (ChainTableInfo t : info.getChainTablesList()) {
      tables
          .computeIfAbsent(t.getTableId(), id -> new ConcurrentSkipListMap<>())
          .putIfAbsent(
              t.getVersion(), new ChainTable(t.getTableId(), t.getVersion(), t.getChainIdsList()));
    }
    if (info.getVersion() > version) {
      version = info.getVersion();
    }
    latest.accumulateAndGet(
        info, (old, now) -> old == null || now.getVersion() >= old.getVersion() ? now : old);
    firstInfo.countDown();
  }

  @Override
  public Optional<ChainTable> latest(int id) {
    Optional<ChainTable> known = latestKnown(id);
    if (known.isPresent()) {
      return known;
    }
    fetchAfterMiss();
    return latestKnown(id);
  }

  @Override
  public Optional<ChainTable> find(int id, int version) {
    Optional<ChainTable> known = findKnown(id, version);
    if (known.isPresent()) {
      return known;
    }
    fetchAfterMiss();
    return findKnown(id, version);
  }

  private Optional<ChainTable> latestKnown(int id) {
    NavigableMap<Integer, ChainTable> versions = tables.get(id);
    if (versions == null) {
      return Optional.empty();
    }
    Map.Entry<Integer, ChainTable> last = versions.lastEntry();
    return last == null ? Optional.empty() : Optional.of(last.getValue());
  }

  private Optional<ChainTable> findKnown(int id, int version) {
    NavigableMap<Integer, ChainTable> versions = tables.get(id);
    return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
  }

  /** One fetch at a time, rate-limited; the caller waits a bounded time for it. */
  private void fetchAfterMiss() {
    if (mgmtd == null) {
      return;
    }
    CompletableFuture<Void> running = fetching.get();
    if (running == null) {
      long now = System.nanoTime();
      if (now - lastMissFetchNanos < MISS_FETCH_INTERVAL.toNanos()) {
        return;
      }
      CompletableFuture<Void> mine = new CompletableFuture<>();
      if (!fetching.compareAndSet(null, mine)) {
        running = fetching.get();
      } else {
        lastMissFetchNanos = now;
        running = mine;
        Thread.ofVirtual()
            .name("meta-chain-table-fetch")
            .start(
                () -> {
                  try {
                    refresh();
                  } catch (RuntimeException e) {
                    log.debug("fetching chain tables from mgmtd failed: {}", e.getMessage());
                  } finally {
                    fetching.set(null);
                    mine.complete(null);
                  }
                });
      }
    }
    if (running == null) {
      return;
    }
    try {
      running.get(MISS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("mgmtd did not answer within {} ms", MISS_WAIT.toMillis());
    }
  }

  private void refresh() {
    mgmtd.routingInfo(0).ifPresent(this::apply);
  }

  private void refreshQuietly() {
    try {
      mgmtd.routingInfo(version).ifPresent(this::apply);
    } catch (RuntimeException e) {
      log.warn("refreshing chain tables from mgmtd failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
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
