package io.catena.kv.occ;

import io.catena.kv.KvConflictException;
import io.catena.kv.KvEngine;
import io.catena.kv.KvException;
import io.catena.kv.KvTransaction;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializable transactions by optimistic concurrency control over a {@link VersionedStore}, the
 * way FoundationDB's resolvers do it. A transaction reads a view at its read version and records
 * what it read (keys and ranges). At commit, under one commit lock, its read set is checked against
 * the writes of every transaction that committed after its read version; any overlap refuses the
 * commit with a retryable {@link KvConflictException}. Otherwise its writes are applied atomically
 * and remembered for later checks. The lock covers only the check and the in-memory apply; waiting
 * for durability (fsync) happens after it, so commits are group-synced.
 *
 * <p>Conflict history is kept for as long as an open transaction may need it; a transaction still
 * open after {@code maxHistory} later commits fails as too old (retryable), as in FoundationDB.
 */
public class OccKvEngine implements KvEngine {

  public static final int DEFAULT_MAX_HISTORY = 200_000;

  private final String uri;
  private final VersionedStore store;
  private final int maxHistory;
  private final ReentrantLock commitLock = new ReentrantLock();
  private final ArrayDeque<CommittedWrites> history = new ArrayDeque<>();
  private final TreeMap<Long, Integer> openReadVersions = new TreeMap<>();
  private long droppedEarlyThrough = Long.MIN_VALUE;
  private long lastCommitted;
  private volatile boolean closed;

  public OccKvEngine(String uri, VersionedStore store) {
    this(uri, store, DEFAULT_MAX_HISTORY);
  }

  public OccKvEngine(String uri, VersionedStore store, int maxHistory) {
    this.uri = uri;
    this.store = store;
    this.maxHistory = maxHistory;
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public KvTransaction begin() {
    if (closed) {
      throw new KvException("engine " + uri + " is closed", false);
    }
    StoreView view;
    synchronized (openReadVersions) {
      view = store.openView();
      openReadVersions.merge(view.version(), 1, Integer::sum);
    }
    return new OccTransaction(this, view);
  }

  void finished(long readVersion) {
    synchronized (openReadVersions) {
      openReadVersions.computeIfPresent(readVersion, (v, n) -> n == 1 ? null : n - 1);
    }
  }

  private long oldestOpenReadVersion(long fallback) {
    synchronized (openReadVersions) {
      return openReadVersions.isEmpty() ? fallback : openReadVersions.firstKey();
    }
  }

  void commit(OccTransaction tx, boolean awaitDurable) {
    WriteBuffer writes = tx.writes();
    if (writes.isEmpty()) {
      return;
    }
    long version;
    commitLock.lock();
    try {
      if (closed) {
        throw new KvException("engine " + uri + " is closed", false);
      }
      long readVersion = tx.readVersion();
      if (readVersion < droppedEarlyThrough) {
        throw new KvConflictException(
            "transaction too old: " + maxHistory + " transactions committed since it began");
      }
      Iterator<CommittedWrites> newestFirst = history.descendingIterator();
      while (newestFirst.hasNext()) {
        CommittedWrites committed = newestFirst.next();
        if (committed.version() <= readVersion) {
          break;
        }
        if (tx.reads().intersects(committed)) {
          throw new KvConflictException(
              "conflict: data read at version "
                  + readVersion
                  + " was changed by the commit at version "
                  + committed.version());
        }
      }
      version = store.apply(writes, oldestOpenReadVersion(lastCommitted));
      lastCommitted = version;
      history.addLast(CommittedWrites.of(version, writes));
      long oldest = oldestOpenReadVersion(version);
      while (!history.isEmpty() && history.peekFirst().version() <= oldest) {
        history.removeFirst();
      }
      while (history.size() > maxHistory) {
        droppedEarlyThrough = history.removeFirst().version();
      }
    } finally {
      commitLock.unlock();
    }
    if (awaitDurable) {
      store.awaitDurable(version);
    }
  }

  @Override
  public void close() {
    commitLock.lock();
    try {
      if (!closed) {
        closed = true;
        store.close();
      }
    } finally {
      commitLock.unlock();
    }
  }
}
