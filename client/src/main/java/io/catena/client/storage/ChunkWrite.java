package io.catena.client.storage;

import java.nio.ByteBuffer;

/**
 * Write the bytes of {@code data} (position to limit) at {@code offset} of a chunk. The buffer must
 * not change until the write completes; gRPC serialises straight from it.
 */
public record ChunkWrite(int chainId, byte[] chunkId, int offset, ByteBuffer data) {
  public ChunkWrite {
    if (offset < 0 || !data.hasRemaining()) {
      throw new IllegalArgumentException("bad chunk write: offset " + offset + ", no data");
    }
  }
}
