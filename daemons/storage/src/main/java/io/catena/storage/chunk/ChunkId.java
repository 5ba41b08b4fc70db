package io.catena.storage.chunk;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An opaque chunk address, 1 to 64 bytes, chosen by the client (for files: inode and chunk index).
 * Ordered by unsigned bytes, which is also the order of the metadata keys.
 */
public final class ChunkId implements Comparable<ChunkId> {
  public static final int MAX_BYTES = 64;
  private final byte[] bytes;

  private ChunkId(byte[] bytes) {
    this.bytes = bytes;
  }

  public static ChunkId of(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "a chunk id has 1 to " + MAX_BYTES + " bytes, got " + bytes.length);
    }
    return new ChunkId(bytes.clone());
  }

  /** The id of chunk {@code index} of file {@code inode}: 8 + 4 bytes, big-endian. */
  public static ChunkId of(long inode, int index) {
    return new ChunkId(ByteBuffer.allocate(12).putLong(inode).putInt(index).array());
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  int length() {
    return bytes.length;
  }

  byte[] unsafeBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(ChunkId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
