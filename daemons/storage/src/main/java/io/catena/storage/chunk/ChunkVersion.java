package io.catena.storage.chunk;

/**
 * One stored version of a chunk: its number, the chain version it was written under, its content
 * (length, CRC32C, slot) and the request that produced it (empty when none, e.g. a sync install).
 */
public record ChunkVersion(
    long version, long chainVersion, int length, int crc32c, long slot, String requestId) {
  public ChunkVersion {
    if (version <= 0 || length < 0) {
      throw new IllegalArgumentException("version > 0 and length >= 0 are needed");
    }
    requestId = requestId == null ? "" : requestId;
  }

  Slot location() {
    return Slot.unpack(slot);
  }
}
