package io.catena.storage.chunk;

import io.catena.storage.StorageErrorCode;
import io.catena.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunk store of one target. Data lives in slots of large per-size-class files; metadata in
 * RocksDB and, for reads, in memory. Every update is copy-on-write: a version is staged into a free
 * slot (pending) and becomes visible only when {@link #commit} atomically swaps the metadata, so a
 * crash at any point leaves the last committed version readable.
 *
 * <p>Callers serialise updates of one chunk (the replicator's chunk lock); reads run concurrently
 * with updates and never see a pending version.
 */
public final class ChunkEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChunkEngine.class);
  private static final int STRIPES = 256;

  private final Path dir;
  private final EngineConfig config;
  private final DataFiles files;
  private final ChunkMetaStore store;
  private final SlotAllocator allocator;
  private final Map<ChunkId, ChunkMeta> metas = new ConcurrentHashMap<>();
  private final ReentrantReadWriteLock[] slotLocks = new ReentrantReadWriteLock[STRIPES];

  /** Slots pinned by {@link PinnedChunk}s (count per slot), and those freed while pinned. */
  private final Map<Slot, Integer> pins = new java.util.HashMap<>();

  private final java.util.Set<Slot> freeWhenUnpinned = new java.util.HashSet<>();

  private ChunkEngine(Path dir, EngineConfig config) throws Exception {
    this.dir = dir;
    this.config = config;
    this.files = new DataFiles(dir, config);
    this.store = new ChunkMetaStore(dir);
    this.allocator = new SlotAllocator(config);
    for (int i = 0; i < STRIPES; i++) {
      slotLocks[i] = new ReentrantReadWriteLock();
    }
  }

  /**
   * Opens (or creates) the engine in {@code dir}. Pending versions left by a crash are dropped:
   * they were never acknowledged, and the chain re-sends or syncs what this target missed.
   */
  public static ChunkEngine open(Path dir, EngineConfig config) {
    try {
      Files.createDirectories(dir);
      ChunkEngine engine = new ChunkEngine(dir, config);
      engine.recover();
      return engine;
    } catch (StorageException e) {
      throw e;
    } catch (Exception e) {
      throw new StorageException(
          StorageErrorCode.IO_ERROR, "cannot open chunk engine in " + dir + ": " + e, e);
    }
  }

  private void recover() throws Exception {
    for (int c = 0; c < config.sizeClasses().size(); c++) {
      allocator.knowFiles(c, files.existingFiles(c));
    }
    List<ChunkMeta> dropped = new ArrayList<>();
    store.forEach(
        meta -> {
          if (meta.pending() != null) {
            dropped.add(meta);
          }
          if (meta.committed() != null) {
            allocator.markUsed(meta.committed().location());
            metas.put(meta.id(), new ChunkMeta(meta.id(), meta.committed(), null));
          }
        });
    for (ChunkMeta meta : dropped) {
      if (meta.committed() == null) {
        store.delete(meta.id(), false);
      } else {
        store.put(new ChunkMeta(meta.id(), meta.committed(), null), false);
      }
    }
    if (!dropped.isEmpty()) {
      log.info("{}: dropped {} uncommitted versions left by a crash", dir, dropped.size());
    }
  }

  public EngineConfig config() {
    return config;
  }

  public Optional<ChunkMeta> meta(ChunkId id) {
    return Optional.ofNullable(metas.get(id));
  }

  /** Metadata of every chunk, sorted by id. */
  public List<ChunkMeta> allMetas() {
    List<ChunkMeta> all = new ArrayList<>(metas.values());
    all.sort((a, b) -> a.id().compareTo(b.id()));
    return all;
  }

  /**
   * Reads committed bytes {@code [offset, offset+length)} ({@code length} 0: to the end). A read of
   * the whole chunk is verified against its CRC32C.
   */
  public ReadResult read(ChunkId id, int offset, int length) {
    return read(id, offset, length, ByteBuffer::allocate);
  }

  /** As {@link #read(ChunkId, int, int)}, into a buffer from {@code allocator} (given the size). */
  public ReadResult read(
      ChunkId id, int offset, int length, java.util.function.IntFunction<ByteBuffer> allocator) {
    ReentrantReadWriteLock.ReadLock lock = lockFor(id).readLock();
    lock.lock();
    try {
      ChunkMeta meta = metas.get(id);
      if (meta == null || meta.committed() == null) {
        throw new StorageException(StorageErrorCode.NOT_FOUND, "chunk " + id + " not found");
      }
      ChunkVersion v = meta.committed();
      if (offset < 0 || length < 0) {
        throw new StorageException(
            StorageErrorCode.INVALID_ARGUMENT,
            "read at " + offset + " of chunk " + id + " of length " + v.length());
      }
      // A read starting past the chunk's end returns no bytes: for a file, a chunk shorter than
      // its slot ends in a hole, which the client fills with zeros.
      int start = Math.min(offset, v.length());
      int end = length == 0 ? v.length() : (int) Math.min((long) start + length, v.length());
      offset = start;
      ByteBuffer buf = allocator.apply(end - offset);
      files.read(v.location(), offset, buf);
      buf.flip();
      if (offset == 0 && end == v.length() && crc(buf) != v.crc32c()) {
        throw new StorageException(
            StorageErrorCode.CHECKSUM_MISMATCH,
            "chunk " + id + " version " + v.version() + " fails its CRC32C check on " + dir);
      }
      return new ReadResult(buf, v.version(), v.length(), v.crc32c());
    } catch (IOException e) {
      throw ioError("read chunk " + id, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Pins the committed version's bytes {@code [offset, offset+length)} ({@code length} 0: to the
   * end) for a transfer to a socket: until the returned handle is closed, a commit or removal that
   * replaces this version defers freeing its slot, so the bytes cannot change under the transfer
   * (the slot of a committed version is never written: copy-on-write). The bytes are not
   * checksum-verified here; the receiver checks a whole-chunk read against {@link
   * PinnedChunk#crc32c()}.
   */
  public PinnedChunk pinCommitted(ChunkId id, int offset, int length) {
    ReentrantReadWriteLock.ReadLock lock = lockFor(id).readLock();
    lock.lock();
    try {
      ChunkMeta meta = metas.get(id);
      if (meta == null || meta.committed() == null) {
        throw new StorageException(StorageErrorCode.NOT_FOUND, "chunk " + id + " not found");
      }
      ChunkVersion v = meta.committed();
      if (offset < 0 || length < 0) {
        throw new StorageException(
            StorageErrorCode.INVALID_ARGUMENT,
            "read at " + offset + " of chunk " + id + " of length " + v.length());
      }
      // As read(): a read starting past the end returns no bytes (a file's hole).
      offset = Math.min(offset, v.length());
      int end = length == 0 ? v.length() : (int) Math.min((long) offset + length, v.length());
      Slot slot = v.location();
      synchronized (pins) {
        pins.merge(slot, 1, Integer::sum);
      }
      return new PinnedChunk(
          this, files, slot, offset, end - offset, v.version(), v.length(), v.crc32c());
    } finally {
      lock.unlock();
    }
  }

  void unpin(Slot slot) {
    boolean free = false;
    synchronized (pins) {
      Integer n = pins.get(slot);
      if (n == null) {
        return;
      }
      if (n > 1) {
        pins.put(slot, n - 1);
      } else {
        pins.remove(slot);
        free = freeWhenUnpinned.remove(slot);
      }
    }
    if (free) {
      allocator.free(slot);
    }
  }

  /** Frees the slot of a version no metadata references any more, or defers it while pinned. */
  private void freeUnlessPinned(Slot slot) {
    synchronized (pins) {
      if (pins.containsKey(slot)) {
        freeWhenUnpinned.add(slot);
        return;
      }
    }
    allocator.free(slot);
  }

  /** The whole content of the committed (or, with {@code pending}, the pending) version. */
  public Optional<ByteBuffer> readFull(ChunkId id, boolean pending) {
    ReentrantReadWriteLock.ReadLock lock = lockFor(id).readLock();
    lock.lock();
    try {
      ChunkMeta meta = metas.get(id);
      ChunkVersion v = meta == null ? null : pending ? meta.pending() : meta.committed();
      if (v == null) {
        return Optional.empty();
      }
      ByteBuffer buf = ByteBuffer.allocate(v.length());
      files.read(v.location(), 0, buf);
      buf.flip();
      return Optional.of(buf);
    } catch (IOException e) {
      throw ioError("read chunk " + id, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stages version {@code version} of a chunk as pending: {@code data} written at {@code offset}
   * over the committed content (holes zero-filled), or, with {@code fullChunk}, {@code data} as the
   * whole content. The result goes to a fresh slot; an earlier pending version is replaced.
   */
  public ChunkVersion stage(
      ChunkId id,
      long version,
      long chainVersion,
      int offset,
      ByteBuffer data,
      boolean fullChunk,
      String requestId) {
    ChunkMeta cur = metas.get(id);
    ChunkVersion committed = cur == null ? null : cur.committed();
    int curLength = committed == null ? 0 : committed.length();
    int dataLength = data.remaining();
    long end = fullChunk ? dataLength : Math.max(curLength, (long) offset + dataLength);
    if (offset < 0 || (fullChunk && offset != 0) || end > config.maxChunkBytes()) {
      throw new StorageException(
          StorageErrorCode.INVALID_ARGUMENT,
          "write of "
              + dataLength
              + " bytes at "
              + offset
              + " passes the maximum chunk length "
              + config.maxChunkBytes());
    }
    int newLength = (int) end;
    Slot slot = allocator.allocate(config.classFor(newLength), config.capacityBytes());
    if (slot == null) {
      throw new StorageException(
          StorageErrorCode.NO_SPACE, "target " + dir + " has no space for " + newLength + " bytes");
    }
    try {
      int crc;
      if (fullChunk || (offset == 0 && dataLength >= curLength)) {
        crc = crc(data);
        files.write(slot, data.duplicate());
      } else {
        ByteBuffer content = ByteBuffer.allocate(newLength);
        if (committed != null) {
          ByteBuffer old = content.slice(0, curLength);
          readCommittedInto(id, committed, old);
        }
        content.put(offset, data, data.position(), dataLength);
        crc = crc(content);
        files.write(slot, content);
      }
      if (config.fsync() == FsyncPolicy.ALWAYS) {
        files.force(slot);
      }
      ChunkVersion pending =
          new ChunkVersion(version, chainVersion, newLength, crc, slot.pack(), requestId);
      ChunkMeta next = new ChunkMeta(id, committed, pending);
      store.put(next, false);
      ChunkVersion replaced;
      ReentrantReadWriteLock.WriteLock lock = lockFor(id).writeLock();
      lock.lock();
      try {
        ChunkMeta before = metas.put(id, next);
        replaced = before == null ? null : before.pending();
      } finally {
        lock.unlock();
      }
      if (replaced != null) {
        allocator.free(replaced.location());
      }
      return pending;
    } catch (IOException | org.rocksdb.RocksDBException e) {
      allocator.free(slot);
      throw ioError("stage chunk " + id, e);
    }
  }

  private void readCommittedInto(ChunkId id, ChunkVersion committed, ByteBuffer dst)
      throws IOException {
    ReentrantReadWriteLock.ReadLock lock = lockFor(id).readLock();
    lock.lock();
    try {
      files.read(committed.location(), 0, dst);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes pending version {@code version} the committed one in one metadata write (synced under
   * {@link FsyncPolicy#ALWAYS}) and frees the slot of the version it replaces.
   */
  public ChunkMeta commit(ChunkId id, long version) {
    ChunkMeta cur = metas.get(id);
    if (cur == null || cur.pending() == null || cur.pending().version() != version) {
      throw new StorageException(
          StorageErrorCode.INTERNAL,
          "chunk " + id + " has no pending version " + version + " to commit: " + cur);
    }
    ChunkMeta next = new ChunkMeta(id, cur.pending(), null);
    try {
      store.put(next, config.fsync() == FsyncPolicy.ALWAYS);
    } catch (org.rocksdb.RocksDBException e) {
      throw ioError("commit chunk " + id, e);
    }
    ReentrantReadWriteLock.WriteLock lock = lockFor(id).writeLock();
    lock.lock();
    try {
      metas.put(id, next);
    } finally {
      lock.unlock();
    }
    if (cur.committed() != null) {
      freeUnlessPinned(cur.committed().location());
    }
    return next;
  }

  /** Drops a pending version (its slot is freed); the committed version stays. */
  public void abortPending(ChunkId id) {
    ChunkMeta cur = metas.get(id);
    if (cur == null || cur.pending() == null) {
      return;
    }
    try {
      if (cur.committed() == null) {
        store.delete(id, false);
      } else {
        store.put(new ChunkMeta(id, cur.committed(), null), false);
      }
    } catch (org.rocksdb.RocksDBException e) {
      throw ioError("abort chunk " + id, e);
    }
    ReentrantReadWriteLock.WriteLock lock = lockFor(id).writeLock();
    lock.lock();
    try {
      if (cur.committed() == null) {
        metas.remove(id);
      } else {
        metas.put(id, new ChunkMeta(id, cur.committed(), null));
      }
    } finally {
      lock.unlock();
    }
    allocator.free(cur.pending().location());
  }

  /** Removes a chunk and frees its slots; false when it did not exist. */
  public boolean remove(ChunkId id) {
    ChunkMeta cur = metas.get(id);
    if (cur == null) {
      return false;
    }
    try {
      store.delete(id, config.fsync() == FsyncPolicy.ALWAYS);
    } catch (org.rocksdb.RocksDBException e) {
      throw ioError("remove chunk " + id, e);
    }
    ReentrantReadWriteLock.WriteLock lock = lockFor(id).writeLock();
    lock.lock();
    try {
      metas.remove(id);
    } finally {
      lock.unlock();
    }
    if (cur.committed() != null) {
      freeUnlessPinned(cur.committed().location());
    }
    if (cur.pending() != null) {
      allocator.free(cur.pending().location());
    }
    return true;
  }

  public SpaceStats space() {
    long chunkBytes = 0;
    long count = 0;
    Collection<ChunkMeta> all = metas.values();
    for (ChunkMeta m : all) {
      if (m.committed() != null) {
        chunkBytes += m.committed().length();
        count++;
      }
    }
    long used = allocator.usedBytes();
    long capacity = config.capacityBytes();
    if (capacity == 0) {
      try {
        capacity = Files.getFileStore(dir).getUsableSpace() + used;
      } catch (IOException e) {
        capacity = used;
      }
    }
    return new SpaceStats(capacity, used, chunkBytes, count);
  }

  public static int crc(ByteBuffer data) {
    CRC32C crc = new CRC32C();
    crc.update(data.duplicate());
    return (int) crc.getValue();
  }

  private ReentrantReadWriteLock lockFor(ChunkId id) {
    return slotLocks[(id.hashCode() & 0x7FFFFFFF) % STRIPES];
  }

  private StorageException ioError(String what, Exception e) {
    return new StorageException(
        StorageErrorCode.IO_ERROR, "cannot " + what + " on " + dir + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    try {
      files.close();
    } catch (IOException e) {
      log.warn("{}: closing data files failed", dir, e);
    }
    store.close();
  }
}
