package io.catena.storage.chunk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * Chunk metadata of one target in its own RocksDB ({@code <target>/meta}): chunk id → ChunkMeta.
 */
final class ChunkMetaStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions synced = new WriteOptions().setSync(true);
  private final WriteOptions unsynced = new WriteOptions().setSync(false);

  ChunkMetaStore(Path targetDir) throws Exception {
    Path dir = targetDir.resolve("meta");
    Files.createDirectories(dir);
    options = new Options().setCreateIfMissing(true).setMaxOpenFiles(64).setKeepLogFileNum(2);
    db = RocksDB.open(options, dir.toString());
  }

  void forEach(Consumer<ChunkMeta> action) {
    try (RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        ChunkId id = ChunkId.of(it.key());
        action.accept(ChunkMeta.decode(id, it.value()));
      }
    }
  }

  void put(ChunkMeta meta, boolean sync) throws RocksDBException {
    db.put(sync ? synced : unsynced, meta.id().unsafeBytes(), meta.encode());
  }

  void delete(ChunkId id, boolean sync) throws RocksDBException {
    db.delete(sync ? synced : unsynced, id.unsafeBytes());
  }

  @Override
  public void close() {
    synced.close();
    unsynced.close();
    db.close();
    options.close();
  }
}
