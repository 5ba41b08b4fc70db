package io.catena.meta;

/**
 * How big a slab file of one slot size gets: at most {@code maxSlabBytes} (at least one slot),
 * grown in extents of about {@code extentBytes} (at least one slot), so a class holds little unused
 * space while clients still see few, large files.
 */
public record KvSlabGeometry(long maxSlabBytes, long extentBytes) {

  public KvSlabGeometry {
    if (maxSlabBytes < 1 || extentBytes < 1) {
      throw new IllegalArgumentException("slab and extent sizes must be positive");
    }
  }

  public long slotsPerSlab(long slotSize) {
    return Math.max(1, maxSlabBytes / slotSize);
  }

  /**
   * The slot count a slab holding {@code allocated} slots grows to when it needs one more, for a
   * tenant whose capacity is {@code capacity} bytes (0: unlimited).
   */
  public long grownSlots(long slotSize, long allocated, long capacity) {
    long extent = capacity > 0 ? Math.min(extentBytes, capacity / 16) : extentBytes;
    long step = Math.max(1, extent / slotSize);
    return Math.min(slotsPerSlab(slotSize), allocated + step);
  }
}
