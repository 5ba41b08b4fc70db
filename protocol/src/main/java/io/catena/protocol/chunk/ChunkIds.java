package io.catena.protocol.chunk;

import java.nio.ByteBuffer;

/**
 * The storage address of a file chunk: the inode id (8 bytes) then the chunk index (4 bytes,
 * unsigned), big-endian. Chunk {@code i} of a file lives on chain {@code chainIds[i % stripe]} of
 * its layout. Writers (the client) and the chunk garbage collector (meta) must agree on it.
 */
public final class ChunkIds {

  /** Chunk indexes travel as 4 unsigned bytes. */
  public static final long MAX_CHUNKS = 1L << 32;

  private ChunkIds() {}

  public static byte[] of(long inodeId, long chunkIndex) {
    if (chunkIndex < 0 || chunkIndex >= MAX_CHUNKS) {
      throw new IllegalArgumentException("chunk index " + chunkIndex + " is out of range");
    }
    return ByteBuffer.allocate(12).putLong(inodeId).putInt((int) chunkIndex).array();
  }

  /** The chain of chunk {@code chunkIndex} in a stripe over {@code chainIds}. */
  public static int chainOf(java.util.List<Integer> chainIds, long chunkIndex) {
    return chainIds.get((int) (chunkIndex % chainIds.size()));
  }
}
