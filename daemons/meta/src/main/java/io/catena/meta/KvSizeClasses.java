package io.catena.meta;

/**
 * The slot sizes of the KV slab allocator: a value of n bytes takes a slot of n rounded up to a
 * granularity of 1/16 of the power of two below n (at least 512 bytes), so no slot wastes more than
 * 1/16 of itself and every power of two, and 16 sizes between two of them, is a class of its own.
 * Values that are whole multiples of the granularity (most KV page sizes) waste nothing.
 */
public final class KvSizeClasses {

  public static final long MIN_SLOT = 512;
  public static final long MAX_VALUE = 1L << 30;

  private KvSizeClasses() {}

  /** The slot size a value of {@code length} bytes (1 to {@link #MAX_VALUE}) is stored in. */
  public static long slotSize(long length) {
    if (length < 1 || length > MAX_VALUE) {
      throw new IllegalArgumentException(
          "value length " + length + " is outside 1.." + MAX_VALUE + " bytes");
    }
    if (length <= MIN_SLOT) {
      return MIN_SLOT;
    }
    long granularity = Math.max(MIN_SLOT, Long.highestOneBit(length - 1) >>> 4);
    return (length + granularity - 1) / granularity * granularity;
  }
}
