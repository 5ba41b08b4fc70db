package io.catena.meta;

/**
 * When eviction runs and how far: once the slot bytes in use plus an incoming slot would pass the
 * high watermark of the capacity, evict down to the low watermark; a slot fits only within the
 * capacity itself. Capacity 0 means unlimited (never evict).
 */
public record KvWatermarks(long capacity, int highPct, int lowPct) {

  public static final int DEFAULT_HIGH_PCT = 95;
  public static final int DEFAULT_LOW_PCT = 90;

  public KvWatermarks {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity cannot be negative");
    }
    if (lowPct < 1 || highPct > 100 || lowPct > highPct) {
      throw new IllegalArgumentException(
          "watermarks must satisfy 1 <= low <= high <= 100 (percent), got low "
              + lowPct
              + " high "
              + highPct);
    }
  }

  /** Bytes to free before adding {@code incoming} to {@code used}; 0 when none. */
  public long bytesToFree(long used, long incoming) {
    if (capacity == 0 || used + incoming <= share(highPct)) {
      return 0;
    }
    return Math.max(0, used + incoming - share(lowPct));
  }

  public boolean fits(long used, long incoming) {
    return capacity == 0 || used + incoming <= capacity;
  }

  private long share(int pct) {
    return Math.multiplyExact(capacity / 100, pct) + capacity % 100 * pct / 100;
  }
}
