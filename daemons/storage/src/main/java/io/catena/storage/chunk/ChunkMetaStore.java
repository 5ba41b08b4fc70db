package io.catena.storage.chunk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * Chunk metadata of one target in its own RocksDB ({@code <target>/meta}): chunk id → ChunkMeta.
 * Closing waits for calls in flight and refuses later ones: RocksDB crashes the JVM when a closed
 * handle is used, and a daemon shuts down while writes are still arriving.
 */
final class ChunkMetaStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions synced = new WriteOptions().setSync(true);
  private final WriteOptions unsynced = new WriteOptions().setSync(false);
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  ChunkMetaStore(Path targetDir) throws Exception {
    Path dir = targetDir.resolve("meta");
    Files.createDirectories(dir);
    options = new Options().setCreateIfMissing(true).setMaxOpenFiles(64).setKeepLogFileNum(2);
    db = RocksDB.open(options, dir.toString());
  }

  void forEach(Consumer<ChunkMeta> action) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the chunk metadata store is closed");
      }
      try (RocksIterator it = db.newIterator()) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          ChunkId id = ChunkId.of(it.key());
          action.accept(ChunkMeta.decode(id, it.value()));
        }
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  void put(ChunkMeta meta, boolean sync) throws RocksDBException {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      db.put(sync ? synced : unsynced, meta.id().unsafeBytes(), meta.encode());
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  void delete(ChunkId id, boolean sync) throws RocksDBException {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      db.delete(sync ? synced : unsynced, id.unsafeBytes());
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void checkOpen() throws RocksDBException {
    if (closed) {
      throw new RocksDBException("the chunk metadata store is closed");
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      synced.close();
      unsynced.close();
      db.close();
      options.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
