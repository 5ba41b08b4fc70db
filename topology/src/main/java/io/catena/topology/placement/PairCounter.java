package io.catena.topology.placement;

/**
 * How many chains each pair of nodes shares, keyed by node index. An open-addressing hash map, so
 * memory follows the pairs that occur (a few per chain), not the square of the node count.
 */
public final class PairCounter {
  private static final long EMPTY = -1L;

  private long[] keys;
  private int[] counts;
  private int size;
  private int mask;

  public PairCounter(int expectedPairs) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedPairs * 2 - 1)) << 1;
    keys = new long[capacity];
    counts = new int[capacity];
    java.util.Arrays.fill(keys, EMPTY);
    mask = capacity - 1;
  }

  /** A counter holding the pairs of these chains (node indexes). */
  public static PairCounter of(int[][] chains) {
    int r = chains.length == 0 ? 0 : chains[0].length;
    PairCounter counter = new PairCounter(Math.max(16, chains.length * r * (r - 1) / 2));
    for (int[] chain : chains) {
      counter.addChain(chain, 1);
    }
    return counter;
  }

  public void addChain(int[] chain, int delta) {
    for (int i = 0; i < chain.length; i++) {
      for (int j = i + 1; j < chain.length; j++) {
        add(chain[i], chain[j], delta);
      }
    }
  }

  private static long key(int a, int b) {
    return a < b ? ((long) a << 32) | b : ((long) b << 32) | a;
  }

  private static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29));
  }

  public int get(int a, int b) {
    long k = key(a, b);
    int i = hash(k) & mask;
    while (true) {
      long found = keys[i];
      if (found == k) {
        return counts[i];
      }
      if (found == EMPTY) {
        return 0;
      }
      i = (i + 1) & mask;
    }
  }

  /** Adds delta to the pair's count and returns the new count. */
  public int add(int a, int b, int delta) {
    long k = key(a, b);
    int i = hash(k) & mask;
    while (true) {
      long found = keys[i];
      if (found == k) {
        counts[i] += delta;
        return counts[i];
      }
      if (found == EMPTY) {
        keys[i] = k;
        counts[i] = delta;
        if (++size * 2 > keys.length) {
          grow();
        }
        return delta;
      }
      i = (i + 1) & mask;
    }
  }

  /** The largest count of any pair (0 when none). */
  public int max() {
    int max = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY && counts[i] > max) {
        max = counts[i];
      }
    }
    return max;
  }

  /** Calls the visitor for every pair with a count above {@code threshold}. */
  public void forEachAbove(int threshold, PairVisitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY && counts[i] > threshold) {
        visitor.visit((int) (keys[i] >>> 32), (int) keys[i], counts[i]);
      }
    }
  }

  /** Receives one pair and its count. */
  @FunctionalInterface
  public interface PairVisitor {
    void visit(int a, int b, int count);
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    keys = new long[oldKeys.length * 2];
    counts = new int[oldKeys.length * 2];
    java.util.Arrays.fill(keys, EMPTY);
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        long k = oldKeys[i];
        int j = hash(k) & mask;
        while (keys[j] != EMPTY) {
          j = (j + 1) & mask;
        }
        keys[j] = k;
        counts[j] = oldCounts[i];
        size++;
      }
    }
  }
}
