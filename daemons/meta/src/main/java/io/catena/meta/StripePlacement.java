package io.catena.meta;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the chains a new file's chunks rotate over: {@code stripe} consecutive chains of the
 * table starting at a per-file start, then shuffled with a seed, so files spread evenly over all
 * chains and the order of chains differs from file to file. Pure and deterministic on every JVM
 * (its own SplitMix64 generator, not {@code java.util.Random}'s unspecified future).
 */
public final class StripePlacement {

  private StripePlacement() {}

  public static List<Integer> choose(List<Integer> tableChains, int stripe, long start, long seed) {
    int n = tableChains.size();
    if (stripe < 1 || stripe > n) {
      throw MetaException.invalid(
          "stripe size " + stripe + " must be between 1 and the table's " + n + " chains");
    }
    int first = (int) Math.floorMod(start, (long) n);
    List<Integer> chosen = new ArrayList<>(stripe);
    for (int i = 0; i < stripe; i++) {
      chosen.add(tableChains.get((first + i) % n));
    }
    long state = seed;
    for (int i = stripe - 1; i > 0; i--) {
      state += 0x9E3779B97F4A7C15L;
      int j = (int) Long.remainderUnsigned(mix(state), i + 1);
      Integer tmp = chosen.get(i);
      chosen.set(i, chosen.get(j));
      chosen.set(j, tmp);
    }
    return List.copyOf(chosen);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
