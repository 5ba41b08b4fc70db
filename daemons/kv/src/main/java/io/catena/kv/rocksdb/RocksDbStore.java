package io.catena.kv.rocksdb;

import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvException;
import io.catena.kv.occ.Cursor;
import io.catena.kv.occ.KeyRange;
import io.catena.kv.occ.StoreView;
import io.catena.kv.occ.VersionedStore;
import io.catena.kv.occ.WriteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A plain RocksDB database as a {@link VersionedStore}. A view is a RocksDB snapshot and its
 * version is the snapshot's sequence number; a commit is one atomic {@link WriteBatch} (range
 * clears as range tombstones) and its version is the database's latest sequence number after the
 * write. All writes pass through the engine's commit lock, so these numbers order commits exactly
 * as the conflict check sees them. With {@code fsync} on, a commit returns only once the WAL
 * holding it is fsync'd; concurrent committers share one fsync (group commit).
 */
final class RocksDbStore implements VersionedStore {

  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions = new WriteOptions().setSync(false);
  private final boolean fsync;
  private final Object syncLock = new Object();
  private volatile long durable;
  // Native calls hold the read lock; close takes the write lock, so no call runs on a closed DB.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  RocksDbStore(Path dir, boolean fsync) {
    this.fsync = fsync;
    try {
      Files.createDirectories(dir);
      options = new Options().setCreateIfMissing(true);
      db = RocksDB.open(options, dir.toString());
      durable = db.getLatestSequenceNumber();
    } catch (RocksDBException | java.io.IOException e) {
      throw new KvException("cannot open RocksDB at " + dir + ": " + e.getMessage(), false, e);
    }
  }

  private void enter() {
    lifecycle.readLock().lock();
    if (closed) {
      lifecycle.readLock().unlock();
      throw new KvException("RocksDB store is closed", false);
    }
  }

  private void leave() {
    lifecycle.readLock().unlock();
  }

  @Override
  public StoreView openView() {
    enter();
    Snapshot snapshot;
    try {
      snapshot = db.getSnapshot();
    } finally {
      leave();
    }
    ReadOptions readOptions = new ReadOptions().setSnapshot(snapshot);
    long version = snapshot.getSequenceNumber();
    return new StoreView() {
      @Override
      public long version() {
        return version;
      }

      @Override
      public byte[] get(byte[] key) {
        enter();
        try {
          return db.get(readOptions, key);
        } catch (RocksDBException e) {
          throw new KvException("RocksDB read failed: " + e.getMessage(), false, e);
        } finally {
          leave();
        }
      }

      @Override
      public Cursor scan(byte[] begin, byte[] end, boolean reverse) {
        enter();
        try {
          return new RangeIterator(db.newIterator(readOptions), begin, end, reverse, lifecycle);
        } catch (RuntimeException e) {
          leave();
          throw e;
        }
      }

      @Override
      public void close() {
        lifecycle.readLock().lock();
        try {
          if (!closed) {
            db.releaseSnapshot(snapshot);
          }
          readOptions.close();
        } finally {
          lifecycle.readLock().unlock();
        }
      }
    };
  }

  /**
   * Walks {@code [begin, end)}; closes the native iterator once exhausted. Holds the store's read
   * lock (taken by the caller) until closed.
   */
  private static final class RangeIterator implements Cursor {
    private final RocksIterator it;
    private final ReentrantReadWriteLock lifecycle;
    private final byte[] begin;
    private final byte[] end;
    private final boolean reverse;
    private KeyValue next;
    private boolean closed;

    RangeIterator(
        RocksIterator it,
        byte[] begin,
        byte[] end,
        boolean reverse,
        ReentrantReadWriteLock lifecycle) {
      this.it = it;
      this.lifecycle = lifecycle;
      this.begin = begin;
      this.end = end;
      this.reverse = reverse;
      if (reverse) {
        it.seekForPrev(end);
        if (it.isValid() && Keys.compare(it.key(), end) >= 0) {
          it.prev();
        }
      } else {
        it.seek(begin);
      }
      next = current();
    }

    private KeyValue current() {
      if (it.isValid()) {
        byte[] key = it.key();
        boolean inside = reverse ? Keys.compare(key, begin) >= 0 : Keys.compare(key, end) < 0;
        if (inside) {
          return new KeyValue(key, it.value());
        }
      }
      close();
      return null;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        it.close();
        lifecycle.readLock().unlock();
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public KeyValue next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      KeyValue result = next;
      if (reverse) {
        it.prev();
      } else {
        it.next();
      }
      next = current();
      return result;
    }
  }

  @Override
  public long apply(WriteBuffer writes, long oldestReadVersion) {
    enter();
    try (WriteBatch batch = new WriteBatch()) {
      for (KeyRange range : writes.clearedRanges()) {
        batch.deleteRange(range.begin(), range.end());
      }
      for (Map.Entry<byte[], byte[]> op : writes.ops().entrySet()) {
        if (WriteBuffer.isTombstone(op.getValue())) {
          batch.delete(op.getKey());
        } else {
          batch.put(op.getKey(), op.getValue());
        }
      }
      for (Map.Entry<byte[], Long> add : writes.adds().entrySet()) {
        // Under the commit lock nothing else writes, so the latest value is the base.
        long base = Keys.readLe64(db.get(add.getKey()));
        batch.put(add.getKey(), Keys.le64(base + add.getValue()));
      }
      db.write(writeOptions, batch);
      return db.getLatestSequenceNumber();
    } catch (RocksDBException e) {
      throw new KvException("RocksDB write failed: " + e.getMessage(), false, e);
    } finally {
      leave();
    }
  }

  @Override
  public void awaitDurable(long version) {
    if (!fsync || durable >= version) {
      return;
    }
    synchronized (syncLock) {
      if (durable >= version) {
        return;
      }
      enter();
      try {
        long covered = db.getLatestSequenceNumber();
        db.syncWal();
        durable = covered;
      } catch (RocksDBException e) {
        throw new KvException("RocksDB WAL sync failed: " + e.getMessage(), false, e);
      } finally {
        leave();
      }
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        db.close();
        writeOptions.close();
        options.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
