package io.catena.storage.chunk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * Committed chunk bytes pinned in their slot for a transfer to a socket (see {@link
 * ChunkEngine#pinCommitted}). Close it when the transfer ends, successful or not: until then the
 * slot is not reused.
 */
public final class PinnedChunk implements AutoCloseable {
  private final ChunkEngine engine;
  private final DataFiles files;
  private final Slot slot;
  private final int offset;
  private final int length;
  private final long commitVersion;
  private final int chunkLength;
  private final int crc32c;
  private boolean closed;

  PinnedChunk(
      ChunkEngine engine,
      DataFiles files,
      Slot slot,
      int offset,
      int length,
      long commitVersion,
      int chunkLength,
      int crc32c) {
    this.engine = engine;
    this.files = files;
    this.slot = slot;
    this.offset = offset;
    this.length = length;
    this.commitVersion = commitVersion;
    this.chunkLength = chunkLength;
    this.crc32c = crc32c;
  }

  /**
   * Writes {@code prefix} and then the pinned bytes to {@code out}, from a read-only mapping of the
   * data file: the kernel copies them into the socket, so once this returns the slot may change
   * without changing what was sent.
   */
  public void writeTo(GatheringByteChannel out, ByteBuffer prefix) throws IOException {
    try (DataFileMappings.MappedBytes bytes = files.mapped(slot, offset, length)) {
      ByteBuffer[] parts = {prefix, bytes.buffer().duplicate()};
      while (parts[0].hasRemaining() || parts[1].hasRemaining()) {
        out.write(parts);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause(); // opening the data file failed
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
