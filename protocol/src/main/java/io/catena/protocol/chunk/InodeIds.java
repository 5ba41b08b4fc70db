package io.catena.protocol.chunk;

import java.util.OptionalLong;

/**
 * Inode ids carry their tenant, so storage can tell whose chunk a chunk id names without asking
 * meta (docs/security-tenants.md). An id is {@code 0 | tag(15) | sequence(48)}: the tag is the
 * tenant id + 1 (so the system tenant, id 0, has tag 1), the sequence comes from meta's inode
 * counter. Tag 0 marks an inode created before ids carried their tenant ("legacy"); its owner is
 * known only to meta. Ids stay positive.
 */
public final class InodeIds {

  public static final int SEQUENCE_BITS = 48;
  public static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

  /** The largest tenant id an inode id can carry (tag 2^15 - 1). */
  public static final long MAX_TENANT_ID = (1L << 15) - 2;

  private InodeIds() {}

  /** The id of inode {@code sequence} of tenant {@code tenantId}. */
  public static long of(long tenantId, long sequence) {
    if (tenantId < 0 || tenantId > MAX_TENANT_ID) {
      throw new IllegalArgumentException(
          "tenant id " + tenantId + " does not fit an inode id (0.." + MAX_TENANT_ID + ")");
    }
    if (sequence < 1 || sequence > MAX_SEQUENCE) {
      throw new IllegalArgumentException("inode sequence " + sequence + " is out of range");
    }
    return ((tenantId + 1) << SEQUENCE_BITS) | sequence;
  }

  /** True for an inode created before ids carried their tenant (tag 0). */
  public static boolean isLegacy(long inodeId) {
    return (inodeId >>> SEQUENCE_BITS) == 0;
  }

  /** The tenant an inode id names, or empty for a legacy id. */
  public static OptionalLong tenantOf(long inodeId) {
    long tag = inodeId >>> SEQUENCE_BITS;
    return tag == 0 ? OptionalLong.empty() : OptionalLong.of(tag - 1);
  }

  /**
   * The inode of a file chunk id (inode(8) ‖ index(4), {@link ChunkIds}), or empty when the id has
   * another shape (then it is no file chunk).
   */
  public static OptionalLong inodeOfChunk(byte[] chunkId) {
    if (chunkId.length != 12) {
      return OptionalLong.empty();
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (chunkId[i] & 0xFF);
    }
    return OptionalLong.of(v);
  }
}
