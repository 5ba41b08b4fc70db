package io.catena.meta;

import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvEngine;
import io.catena.kv.KvException;
import io.catena.kv.RangeResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector of chunks: works through the GC queue that unlink, rename-over and truncate
 * fill in their transactions. For each task it asks storage (through {@link ChunkRemover}) to
 * remove the chunks, then, in a transaction, drops the task (and an unlinked file's inode) unless
 * the task changed meanwhile. An unlinked file still open for writing waits until its last write
 * session closes. A failed removal stays queued and is retried.
 */
public final class ChunkCollector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChunkCollector.class);

  private final KvEngine kv;
  private final ChunkRemover remover;
  private ScheduledExecutorService timer;

  public ChunkCollector(KvEngine kv, ChunkRemover remover) {
    this.kv = kv;
    this.remover = remover;
  }

  /** Runs {@link #runOnce} every {@code interval} on a background thread until closed. */
  public synchronized void start(Duration interval) {
    if (timer != null) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "meta-chunk-gc");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            runOnce(256);
          } catch (RuntimeException e) {
            log.warn("chunk GC round failed: {}", e.toString());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Processes up to {@code maxTasks} queued tasks; returns how many were completed. */
  public int runOnce(int maxTasks) {
    byte[] prefix = MetaKeys.gcPrefix();
    RangeResult queued =
        kv.run(tx -> tx.snapshot().getRange(prefix, Keys.prefixEnd(prefix), maxTasks));
    int done = 0;
    for (KeyValue entry : queued.entries()) {
      if (process(entry.key(), entry.value())) {
        done++;
      }
    }
    return done;
  }

  /** Processes the task of one file, if any; true when none is left. */
  public boolean collect(long tenantId, long inodeId) {
    byte[] key = MetaKeys.gc(tenantId, inodeId);
    byte[] value = kv.run(tx -> tx.get(key));
    return value == null || process(key, value);
  }

  void collectQuietly(long tenantId, long inodeId) {
    try {
      collect(tenantId, inodeId);
    } catch (RuntimeException e) {
      log.warn("chunk removal of inode {} deferred: {}", inodeId, e.toString());
    }
  }

  /** Number of tasks waiting. */
  public int pending() {
    byte[] prefix = MetaKeys.gcPrefix();
    return kv.run(tx -> tx.snapshot().getRange(prefix, Keys.prefixEnd(prefix), 100_000))
        .entries()
        .size();
  }

  private boolean process(byte[] key, byte[] value) {
    GcTask task = ValueCodec.gcTask(value);
    ChunkRemoval removal = task.removal();
    if (task.deleteInode()) {
      byte[] sessions = MetaKeys.sessionPrefix(removal.tenantId(), removal.inodeId());
      boolean open = kv.run(tx -> !tx.getRange(sessions, Keys.prefixEnd(sessions), 1).isEmpty());
      if (open) {
        return false;
      }
    }
    try {
      remover.remove(removal);
    } catch (Exception e) {
      log.warn(
          "removing chunks of inode {} (tenant {}) failed, will retry: {}",
          removal.inodeId(),
          removal.tenantId(),
          e.toString());
      return false;
    }
    try {
      return kv.run(
          tx -> {
            byte[] current = tx.get(key);
            if (current == null) {
              return true;
            }
            if (!Arrays.equals(current, value)) {
              return false;
            }
            tx.clear(key);
            if (task.deleteInode()) {
              tx.clear(MetaKeys.inode(removal.tenantId(), removal.inodeId()));
            }
            return true;
          });
    } catch (KvException e) {
      log.warn("could not drop GC task of inode {}: {}", removal.inodeId(), e.toString());
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
