package io.catena.meta;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link KvIndexStore#reap} periodically on one daemon thread. */
public final class KvReaper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KvReaper.class);

  private final KvIndexStore store;
  private ScheduledExecutorService executor;

  public KvReaper(KvIndexStore store) {
    this.store = store;
  }

  public synchronized void start(Duration interval) {
    if (executor != null) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kv-reaper");
              t.setDaemon(true);
              return t;
            });
    long ms = Math.max(1, interval.toMillis());
    executor.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void runOnce() {
    try {
      KvIndexStore.Reaped r = store.reap();
      if (r.sessions() > 0 || r.expired() > 0) {
        log.debug(
            "reaped {} KV sessions ({} reservations) and {} expired keys",
            r.sessions(),
            r.reservations(),
            r.expired());
      }
    } catch (RuntimeException e) {
      log.warn("KV reaper pass failed; retrying at the next interval", e);
    }
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
