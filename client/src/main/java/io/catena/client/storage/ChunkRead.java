package io.catena.client.storage;

import java.nio.ByteBuffer;

/**
 * Read {@code length} bytes at {@code offset} of a chunk into {@code dst} (filled from its position
 * 0 up to at most {@code length}; the buffer's position and limit are left alone).
 */
public record ChunkRead(int chainId, byte[] chunkId, int offset, int length, ByteBuffer dst) {
  public ChunkRead {
    if (offset < 0 || length <= 0 || dst.capacity() < length) {
      throw new IllegalArgumentException(
          "bad chunk read: offset " + offset + ", length " + length + ", buffer " + dst.capacity());
    }
  }
}
