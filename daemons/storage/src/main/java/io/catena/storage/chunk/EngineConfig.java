package io.catena.storage.chunk;

import java.util.List;

/**
 * Chunk engine settings of one target.
 *
 * @param sizeClasses slot sizes in bytes, ascending; the largest is the maximum chunk length
 * @param dataFileBytes target size of one data file; each holds {@code dataFileBytes / slot} slots
 *     (at least one)
 * @param fsync when data and metadata are forced to the device
 * @param capacityBytes space the target may use; 0 means the free space of its file system
 */
public record EngineConfig(
    List<Integer> sizeClasses, long dataFileBytes, FsyncPolicy fsync, long capacityBytes) {
  public static final int KIB = 1024;
  public static final int MIB = 1024 * KIB;

  public EngineConfig {
    sizeClasses = List.copyOf(sizeClasses);
    if (sizeClasses.isEmpty() || sizeClasses.size() > 32) {
      throw new IllegalArgumentException("1 to 32 size classes are needed");
    }
    for (int i = 0; i < sizeClasses.size(); i++) {
      int s = sizeClasses.get(i);
      if (s < 4 * KIB || s % (4 * KIB) != 0 || (i > 0 && s <= sizeClasses.get(i - 1))) {
        throw new IllegalArgumentException(
            "size classes must be ascending multiples of 4 KiB, got " + sizeClasses);
      }
    }
    if (dataFileBytes <= 0 || capacityBytes < 0) {
      throw new IllegalArgumentException("dataFileBytes > 0 and capacityBytes >= 0 are needed");
    }
  }

  /** 64 KiB, 512 KiB, 1 MiB, 4 MiB slots, 256 MiB data files, fsync always. */
  public static EngineConfig defaults() {
    return new EngineConfig(
        List.of(64 * KIB, 512 * KIB, MIB, 4 * MIB), 256L * MIB, FsyncPolicy.ALWAYS, 0);
  }

  public EngineConfig withFsync(FsyncPolicy policy) {
    return new EngineConfig(sizeClasses, dataFileBytes, policy, capacityBytes);
  }

  public EngineConfig withCapacity(long bytes) {
    return new EngineConfig(sizeClasses, dataFileBytes, fsync, bytes);
  }

  public int maxChunkBytes() {
    return sizeClasses.getLast();
  }

  /** The smallest class that holds {@code length} bytes, or -1 when none does. */
  public int classFor(int length) {
    for (int i = 0; i < sizeClasses.size(); i++) {
      if (length <= sizeClasses.get(i)) {
        return i;
      }
    }
    return -1;
  }

  public int slotsPerFile(int sizeClass) {
    return (int) Math.max(1, Math.min(1 << 20, dataFileBytes / sizeClasses.get(sizeClass)));
  }
}
