package io.catena.kv.rocksdb;

import io.catena.kv.KvEngine;
import io.catena.kv.occ.OccKvEngine;
import java.nio.file.Path;

/**
 * The embedded default backend: RocksDB in this process (one process per directory; RocksDB locks
 * it), serializable through {@link OccKvEngine}. A commit is durable (WAL fsync'd) when {@link
 * #open} returns from commit, unless {@code fsync} is off, in which case a process crash still
 * loses nothing but a machine crash may lose the last commits.
 */
public final class RocksDbKvEngine {

  private RocksDbKvEngine() {}

  public static KvEngine open(Path dir, boolean fsync) {
    String uri = "rocksdb:" + dir + (fsync ? "" : "?fsync=false");
    return new OccKvEngine(uri, new RocksDbStore(dir, fsync));
  }
}
