package io.catena.client.file;

import io.catena.client.CatenaException;
import io.catena.client.ClientErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open file. Reads and writes go straight to storage (meta is not on the data path); the length
 * is meta's at open plus what this handle wrote, and {@link #close} reports it to meta.
 * Thread-safe: any number of reads and writes may be in flight at once.
 */
public final class CatenaFile implements AutoCloseable {

  private final CatenaFiles files;
  private final String path;
  private final long inodeId;
  private final FileLayout layout;
  private final long sessionId;
  private final boolean writable;
  private final AtomicLong length;
  private final AtomicBoolean closed = new AtomicBoolean();

  CatenaFile(
      CatenaFiles files,
      String path,
      long inodeId,
      FileLayout layout,
      long sessionId,
      boolean writable,
      long length) {
    this.files = files;
    this.path = path;
    this.inodeId = inodeId;
    this.layout = layout;
    this.sessionId = sessionId;
    this.writable = writable;
    this.length = new AtomicLong(length);
  }

  public String path() {
    return path;
  }

  public long inodeId() {
    return inodeId;
  }

  public FileLayout layout() {
    return layout;
  }

  public boolean writable() {
    return writable;
  }

  /** Meta's length at open, or later refresh, grown by this handle's acknowledged writes. */
  public long length() {
    return length.get();
  }

  /** Re-reads the length from meta (another handle may have closed with a longer one). */
  public long refreshLength() {
    long now = files.stat(path).length();
    length.accumulateAndGet(now, Math::max);
    return length.get();
  }

  /**
   * Reads {@code dst.remaining()} bytes at {@code offset} (fewer at the end of the file), advancing
   * {@code dst}'s position; -1 at or past the end.
   */
  public int read(long offset, ByteBuffer dst) {
    int n = join(readAsync(offset, dst));
    if (n > 0) {
      dst.position(dst.position() + n);
    }
    return n;
  }

  /** Writes {@code src}'s remaining bytes at {@code offset}, advancing its position. */
  public int write(long offset, ByteBuffer src) {
    int n = join(writeAsync(offset, src));
    src.position(src.position() + n);
    return n;
  }

  /** As {@link #read}, without moving {@code dst}'s position; the bytes land in place. */
  public CompletableFuture<Integer> readAsync(long offset, ByteBuffer dst) {
    return files.io().read(List.of(new FileIo.ReadOp(this, offset, dst))).getFirst();
  }

  /**
   * As {@link #write}, without moving {@code src}'s position. {@code src} must not change until the
   * future completes (gRPC serialises straight from it).
   */
  public CompletableFuture<Integer> writeAsync(long offset, ByteBuffer src) {
    return files.io().write(new FileIo.WriteOp(this, offset, src));
  }

  /** Ends the handle; a write handle reports its length to meta and ends its session. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (writable) {
      files.closeSession(this, length.get());
    }
  }

  public boolean isOpen() {
    return !closed.get();
  }

  long sessionId() {
    return sessionId;
  }

  void wrote(long end) {
    length.accumulateAndGet(end, Math::max);
  }

  void requireOpen() {
    if (closed.get()) {
      throw new CatenaException(ClientErrorCode.BAD_HANDLE, path + " is closed");
    }
  }

  void requireWritable() {
    requireOpen();
    if (!writable) {
      throw new CatenaException(ClientErrorCode.BAD_HANDLE, path + " is open for reading only");
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw FileIo.unwrap(e);
    }
  }

  @Override
  public String toString() {
    return "CatenaFile[" + path + ", inode " + inodeId + (writable ? ", write" : ", read") + "]";
  }
}
