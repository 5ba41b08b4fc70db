package io.catena.storage.chunk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only mappings of whole data files, from which the data channel writes committed bytes to its
 * sockets: a {@code write} from a mapping copies the page-cache pages into the socket once, where
 * {@code sendfile} measured half as fast on loopback (docs/performance.md). At most {@code
 * maxBytes} stay mapped, the least recently used unmapped first, so that page tables stay small on
 * a large target; a mapping still in use is unmapped when its last user releases it.
 */
final class DataFileMappings implements AutoCloseable {
  private final long maxBytes;
  private final Map<Long, Mapping> mapped = new LinkedHashMap<>(16, 0.75f, true);
  private long mappedBytes;
  private boolean closed;

  DataFileMappings(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.maxBytes = maxBytes;
  }

  /**
   * {@code length} bytes at {@code position} of the data file {@code key} (open as {@code file}),
   * readable until the returned bytes are closed.
   */
  MappedBytes bytes(long key, FileChannel file, long position, int length) throws IOException {
    Mapping m;
    List<Mapping> unmapNow;
    synchronized (this) {
      if (closed) {
        throw new IOException("data files are closed");
      }
      m = mapped.get(key);
      if (m == null) {
        long size = file.size();
        Arena arena = Arena.ofShared();
        try {
          m = new Mapping(arena, file.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
        } catch (IOException | RuntimeException e) {
          arena.close();
          throw e;
        }
        mapped.put(key, m);
        mappedBytes += size;
      }
      if (position < 0 || position + length > m.segment.byteSize()) {
        throw new IOException(
            "data file ends at " + m.segment.byteSize() + ", before " + (position + length));
      }
      m.users++;
      unmapNow = retireBeyondBudget(m);
    }
    unmapNow.forEach(Mapping::unmap);
    Mapping used = m;
    return new MappedBytes(m.segment.asSlice(position, length).asByteBuffer(), () -> release(used));
  }

  /** Retires the least recently used mappings but {@code keep} until the budget holds. */
  private List<Mapping> retireBeyondBudget(Mapping keep) {
    List<Mapping> unmapNow = new ArrayList<>();
    Iterator<Mapping> eldestFirst = mapped.values().iterator();
    while (mappedBytes > maxBytes && eldestFirst.hasNext()) {
      Mapping m = eldestFirst.next();
      if (m == keep) {
        continue;
      }
      eldestFirst.remove();
      mappedBytes -= m.segment.byteSize();
      retire(m, unmapNow);
    }
    return unmapNow;
  }

  /** Marks {@code m} for unmapping: now (added to {@code unmapNow}) or on its last release. */
  private static void retire(Mapping m, List<Mapping> unmapNow) {
    m.retired = true;
    if (m.users == 0) {
      unmapNow.add(m);
    }
  }

  private void release(Mapping m) {
    boolean unmap;
    synchronized (this) {
      m.users--;
      unmap = m.retired && m.users == 0;
    }
    if (unmap) {
      m.unmap();
    }
  }

  /** Bytes mapped now, retired mappings still in use not counted. */
  synchronized long mappedBytes() {
    return mappedBytes;
  }

  @Override
  public void close() {
    List<Mapping> unmapNow = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Mapping m : mapped.values()) {
        retire(m, unmapNow);
      }
      mapped.clear();
      mappedBytes = 0;
    }
    unmapNow.forEach(Mapping::unmap);
  }

  /** Bytes of a mapped data file; closing them lets the mapping go. */
  static final class MappedBytes implements AutoCloseable {
    private final ByteBuffer bytes;
    private final Runnable release;
    private boolean released;

    private MappedBytes(ByteBuffer bytes, Runnable release) {
      this.bytes = bytes;
      this.release = release;
    }

    /** The bytes, read-only; valid until {@link #close}. */
    ByteBuffer buffer() {
      return bytes;
    }

    @Override
    public synchronized void close() {
      if (!released) {
        released = true;
        release.run();
      }
    }
  }

  private static final class Mapping {
    private final Arena arena;
    private final MemorySegment segment;
    private int users;
    private boolean retired;

    private Mapping(Arena arena, MemorySegment segment) {
      this.arena = arena;
      this.segment = segment;
    }

    private void unmap() {
      arena.close();
    }
  }
}
