package io.catena.topology.placement;

/** The least and the greatest of a set of counts. */
public record MinMax(long min, long max) {
  public static MinMax of(int[] values) {
    if (values.length == 0) {
      return new MinMax(0, 0);
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return new MinMax(min, max);
  }

  public long spread() {
    return max - min;
  }
}
