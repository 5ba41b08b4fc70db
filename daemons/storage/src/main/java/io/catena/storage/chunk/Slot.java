package io.catena.storage.chunk;

/**
 * Where a chunk version lives: slot {@code index} of data file {@code file} of size class {@code
 * sizeClass}. Packed into a long for metadata: class (8 bits), file (24 bits), index (32 bits).
 */
public record Slot(int sizeClass, int file, int index) {
  public static final long NONE = -1L;

  public Slot {
    if (sizeClass < 0 || sizeClass > 0xFF || file < 0 || file > 0xFFFFFF || index < 0) {
      throw new IllegalArgumentException("bad slot " + sizeClass + "/" + file + "/" + index);
    }
  }

  public long pack() {
    return ((long) sizeClass << 56) | ((long) file << 32) | (index & 0xFFFFFFFFL);
  }

  public static Slot unpack(long packed) {
    return new Slot((int) (packed >>> 56), (int) ((packed >>> 32) & 0xFFFFFF), (int) packed);
  }
}
