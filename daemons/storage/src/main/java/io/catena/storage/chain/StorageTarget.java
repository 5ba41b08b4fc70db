package io.catena.storage.chain;

import io.catena.storage.chunk.ChunkEngine;
import io.catena.storage.chunk.ChunkId;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One target served by this daemon: its chunk engine, the chain it belongs to, its local state, the
 * per-chunk update locks that serialise writes of a chunk, and the results of recent writes (for
 * retried request ids).
 */
public final class StorageTarget implements AutoCloseable {
  private static final int LOCK_STRIPES = 1024;
  private static final int RECENT_WRITES = 16_384;

  private final long targetId;
  private final int chainId;
  private final Path directory;
  private final ChunkEngine engine;
  private final ReentrantLock[] chunkLocks = new ReentrantLock[LOCK_STRIPES];
  private final Map<RecentWrite, WriteResult> recent =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<RecentWrite, WriteResult> eldest) {
          return size() > RECENT_WRITES;
        }
      };
  private volatile LocalTargetState localState;
  private volatile long localStateChainVersion;
  private volatile long syncedChainVersion = -1;
  private volatile boolean receivingSync;
  private volatile boolean disabled;

  public StorageTarget(
      long targetId, int chainId, Path directory, ChunkEngine engine, LocalTargetState initial) {
    this.targetId = targetId;
    this.chainId = chainId;
    this.directory = directory;
    this.engine = engine;
    this.localState = initial;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      chunkLocks[i] = new ReentrantLock();
    }
  }

  public long targetId() {
    return targetId;
  }

  public int chainId() {
    return chainId;
  }

  public Path directory() {
    return directory;
  }

  public ChunkEngine engine() {
    return engine;
  }

  public LocalTargetState localState() {
    return localState;
  }

  /** The version of the chain in the routing the local state was last decided against (0: none). */
  long localStateChainVersion() {
    return localStateChainVersion;
  }

  void setLocalState(LocalTargetState state, long chainVersion) {
    this.localState = state;
    this.localStateChainVersion = chainVersion;
  }

  /** The chain version at which this daemon last finished a sync of the target (-1: never). */
  long syncedChainVersion() {
    return syncedChainVersion;
  }

  void setSyncedChainVersion(long chainVersion) {
    this.syncedChainVersion = chainVersion;
  }

  /** Taken offline by an admin or a disk error: stays OFFLINE until the daemon restarts. */
  public boolean disabled() {
    return disabled;
  }

  void disable() {
    disabled = true;
  }

  boolean receivingSync() {
    return receivingSync;
  }

  void setReceivingSync(boolean value) {
    receivingSync = value;
  }

  ReentrantLock lockFor(ChunkId chunk) {
    return chunkLocks[(chunk.hashCode() & 0x7FFFFFFF) % LOCK_STRIPES];
  }

  /**
   * The result of a recent write of {@code chunk} with this request id. Keyed by the chunk too: a
   * request id that a client (wrongly) reused for another chunk is a new write, never answered with
   * the result of the old one.
   */
  WriteResult recentResult(String requestId, ChunkId chunk) {
    if (requestId.isEmpty()) {
      return null;
    }
    synchronized (recent) {
      return recent.get(new RecentWrite(requestId, chunk));
    }
  }

  void rememberResult(String requestId, ChunkId chunk, WriteResult result) {
    if (!requestId.isEmpty()) {
      synchronized (recent) {
        recent.put(new RecentWrite(requestId, chunk), result);
      }
    }
  }

  private record RecentWrite(String requestId, ChunkId chunk) {}

  @Override
  public void close() {
    engine.close();
  }
}
