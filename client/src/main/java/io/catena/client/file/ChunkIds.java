package io.catena.client.file;

import java.nio.ByteBuffer;

/**
 * The storage address of a file chunk: the inode id (8 bytes) then the chunk index (4 bytes),
 * big-endian, the format storage and meta's garbage collector use too (docs/storage.md).
 */
public final class ChunkIds {
  private ChunkIds() {}

  public static byte[] of(long inodeId, long chunkIndex) {
    return ByteBuffer.allocate(12).putLong(inodeId).putInt((int) chunkIndex).array();
  }
}
