package io.catena.topology.placement;

import java.util.Random;

/**
 * Orders a table's chains so that consecutive chains share no node. A file's chunks go to
 * consecutive chains, so neighbours on different nodes spread one file's I/O. A random shuffle,
 * then one forward pass (up to eight shuffles, keeping the best): a chain that shares a node with
 * the one before it is swapped with a later chain that does not (later positions are checked when
 * the pass reaches them); near the end, with no later candidate, with an earlier position whose
 * neighbours both accept it. Chains still in conflict are then re-inserted into gaps whose
 * neighbours both accept them.
 */
public final class ChainOrder {
  private static final int RANDOM_PROBES = 32;
  private static final int ATTEMPTS = 8;

  private ChainOrder() {}

  /** A permutation of chain indexes; {@code chains[order[i]]} is the i-th chain of the table. */
  public static int[] arrange(int[][] chains, long seed) {
    int[] best = null;
    int bestSharing = Integer.MAX_VALUE;
    for (int attempt = 0; attempt < ATTEMPTS && bestSharing > 0; attempt++) {
      int[] order = arrangeOnce(chains, seed + attempt);
      int sharing = adjacentSharing(chains, order);
      if (sharing < bestSharing) {
        best = order;
        bestSharing = sharing;
      }
    }
    return best;
  }

  private static int[] arrangeOnce(int[][] chains, long seed) {
    Random random = new Random(seed);
    int n = chains.length;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      swap(order, i, random.nextInt(i + 1));
    }
    for (int i = 1; i < n; i++) {
      if (!sharesNode(chains[order[i - 1]], chains[order[i]])) {
        continue;
      }
      if (!fixFromLater(chains, order, i, random)) {
        fixFromEarlier(chains, order, i);
      }
    }
    return reinsertConflicts(chains, order, random);
  }

  /**
   * Takes each chain that still shares a node with its predecessor out of the order and puts it
   * into a gap whose both neighbours share no node with it, while that makes progress.
   */
  private static int[] reinsertConflicts(int[][] chains, int[] order, Random random) {
    int n = order.length;
    if (adjacentSharing(chains, order) == 0) {
      return order;
    }
    java.util.List<Integer> list = new java.util.ArrayList<>(n);
    for (int c : order) {
      list.add(c);
    }
    for (int attempt = 0; attempt < 4 * n; attempt++) {
      int conflict = -1;
      for (int i = 1; i < n; i++) {
        if (sharesNode(chains[list.get(i - 1)], chains[list.get(i)])) {
          conflict = i;
          break;
        }
      }
      if (conflict < 0) {
        break;
      }
      int moving = list.remove(random.nextBoolean() ? conflict : conflict - 1);
      java.util.List<Integer> gaps = new java.util.ArrayList<>();
      for (int k = 0; k <= list.size(); k++) {
        boolean leftOk = k == 0 || !sharesNode(chains[list.get(k - 1)], chains[moving]);
        boolean rightOk = k == list.size() || !sharesNode(chains[list.get(k)], chains[moving]);
        if (leftOk && rightOk) {
          gaps.add(k);
        }
      }
      list.add(
          gaps.isEmpty() ? random.nextInt(list.size() + 1) : gaps.get(random.nextInt(gaps.size())),
          moving);
    }
    int[] result = new int[n];
    for (int i = 0; i < n; i++) {
      result[i] = list.get(i);
    }
    return adjacentSharing(chains, result) <= adjacentSharing(chains, order) ? result : order;
  }

  /** How many consecutive pairs of chains (in this order) share a node. */
  public static int adjacentSharing(int[][] chains, int[] order) {
    int count = 0;
    for (int i = 1; i < order.length; i++) {
      if (sharesNode(chains[order[i - 1]], chains[order[i]])) {
        count++;
      }
    }
    return count;
  }

  private static boolean fixFromLater(int[][] chains, int[] order, int i, Random random) {
    int n = order.length;
    int later = n - i - 1;
    if (later <= 0) {
      return false;
    }
    int[] previous = chains[order[i - 1]];
    for (int probe = 0; probe < RANDOM_PROBES; probe++) {
      int j = i + 1 + random.nextInt(later);
      if (!sharesNode(previous, chains[order[j]])) {
        swap(order, i, j);
        return true;
      }
    }
    for (int j = i + 1; j < n; j++) {
      if (!sharesNode(previous, chains[order[j]])) {
        swap(order, i, j);
        return true;
      }
    }
    return false;
  }

  private static void fixFromEarlier(int[][] chains, int[] order, int i) {
    // Swap order[i] with an earlier k when both end up with neighbours they share no node with.
    for (int k = 0; k < i - 1; k++) {
      if (fits(chains, order, k, order[i], i) && fits(chains, order, i, order[k], k)) {
        swap(order, i, k);
        return;
      }
    }
  }

  /** Whether chain c placed at position pos shares no node with its neighbours (ignoring skip). */
  private static boolean fits(int[][] chains, int[] order, int pos, int c, int skip) {
    if (pos > 0 && pos - 1 != skip && sharesNode(chains[order[pos - 1]], chains[c])) {
      return false;
    }
    if (pos + 1 < order.length
        && pos + 1 != skip
        && sharesNode(chains[order[pos + 1]], chains[c])) {
      return false;
    }
    return true;
  }

  static boolean sharesNode(int[] a, int[] b) {
    for (int x : a) {
      for (int y : b) {
        if (x == y) {
          return true;
        }
      }
    }
    return false;
  }

  private static void swap(int[] order, int i, int j) {
    int t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}
