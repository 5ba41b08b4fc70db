package io.catena.storage.chunk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Committed chunk bytes pinned in their slot for a zero-copy transfer (see {@link
 * ChunkEngine#pinCommitted}). Close it when the transfer ends, successful or not: until then the
 * slot is not reused.
 */
public final class PinnedChunk implements AutoCloseable {
  private final ChunkEngine engine;
  private final Slot slot;
  private final FileChannel file;
  private final long position;
  private final int length;
  private final long commitVersion;
  private final int chunkLength;
  private final int crc32c;
  private boolean closed;

  PinnedChunk(
      ChunkEngine engine,
      Slot slot,
      FileChannel file,
      long position,
      int length,
      long commitVersion,
      int chunkLength,
      int crc32c) {
    this.engine = engine;
    this.slot = slot;
    this.file = file;
    this.position = position;
    this.length = length;
    this.commitVersion = commitVersion;
    this.chunkLength = chunkLength;
    this.crc32c = crc32c;
  }

  /** Sends the pinned bytes to {@code out} (sendfile where the platform has it). */
  public void transferTo(WritableByteChannel out) throws IOException {
    long pos = position;
    long end = position + length;
    while (pos < end) {
      long n = file.transferTo(pos, end - pos, out);
      if (n <= 0 && pos >= file.size()) {
        throw new IOException("data file ends before the chunk's slot does");
      }
      pos += n;
    }
  }

  public int length() {
    return length;
  }

  public long commitVersion() {
    return commitVersion;
  }

  public int chunkLength() {
    return chunkLength;
  }

  public int crc32c() {
    return crc32c;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      engine.unpin(slot);
    }
  }
}
