package io.catena.topology.placement;

import java.util.ArrayDeque;
import java.util.Random;

/**
 * Groups node slots into chains of R nodes from R different failure domains, spreading every node's
 * partners evenly (the 3FS recovery-balance goal). Works on node indexes: {@code slots[i]} is how
 * many replicas node i may take, {@code domain[i]} its failure domain (a node without a domain
 * label is a domain of its own).
 *
 * <p>Two phases. A greedy pass builds chains one at a time, taking each member from the nodes with
 * the most slots left (so every node runs out at the same time and the last chains still have
 * choices) and, among those, the node that shares the fewest chains with the members already
 * picked. A repair pass then swaps members between chains to remove any chain with two members in
 * one domain and any pair of nodes sharing more than {@link #pairBound} chains; a swap keeps every
 * node's slot count, and it is accepted when it lowers the sum of squared pair counts plus a
 * penalty per pair over the bound. Both passes are near-linear in the number of chains.
 */
public final class ChainDesigner {

  /** The result: chains as node indexes, slots left unused, and the pair bound aimed at. */
  public record Design(int[][] chains, int[] unusedSlots, int idealPairShare, int pairBound) {}

  private static final long CONFLICT_WEIGHT = 1L << 40;
  private static final long OVER_BOUND_PENALTY = 1000;
  private static final int SCAN_LIMIT = 512;
  private static final int TRIES_PER_PROBLEM = 24;

  private final int[] domain;
  private final int replicas;
  private final Random random;
  private int[][] chains;
  private PairCounter pairs;
  private IntList[] chainsOfNode;
  private int bound;

  private ChainDesigner(int[] domain, int replicas, Random random) {
    this.domain = domain;
    this.replicas = replicas;
    this.random = random;
  }

  /**
   * Designs chains over these slots. Slots that cannot be used (a domain with more slots than there
   * are chains, or a remainder below R) are left over in {@link Design#unusedSlots()}.
   *
   * @throws IllegalArgumentException when fewer than {@code replicas} domains have slots
   */
  public static Design design(int[] slots, int[] domain, int replicas, long seed) {
    if (slots.length != domain.length) {
      throw new IllegalArgumentException("slots and domains differ in length");
    }
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
    }
    int[] usable = usableSlots(slots, domain, replicas);
    ChainDesigner designer = new ChainDesigner(domain, replicas, new Random(seed));
    int ideal = idealPairShare(usable, domain, replicas);
    designer.bound = ideal + 1;
    designer.greedy(usable);
    designer.repair();
    int[] unused = new int[slots.length];
    for (int i = 0; i < slots.length; i++) {
      unused[i] = slots[i];
    }
    for (int[] chain : designer.chains) {
      for (int node : chain) {
        unused[node]--;
      }
    }
    return new Design(designer.chains, unused, ideal, designer.bound);
  }

  /**
   * The least pair bound any design can meet, by the counting argument: node i's {@code slots[i] *
   * } partner places spread over the nodes outside its domain; the worst node decides.
   */
  public static int idealPairShare(int[] slots, int[] domain, int replicas) {
    int active = 0;
    int domains = 0;
    for (int d : domain) {
      domains = Math.max(domains, d + 1);
    }
    int[] activeInDomain = new int[domains];
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] > 0) {
        active++;
        activeInDomain[domain[i]]++;
      }
    }
    int ideal = 0;
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] > 0) {
        int eligible = active - activeInDomain[domain[i]];
        if (eligible > 0) {
          long places = (long) slots[i] * (replicas - 1);
          ideal = (int) Math.max(ideal, (places + eligible - 1) / eligible);
        }
      }
    }
    return ideal;
  }

  /** Slots trimmed so that R-replica chains over distinct domains can use every one of them. */
  static int[] usableSlots(int[] slots, int[] domain, int replicas) {
    int[] s = slots.clone();
    int domains = 0;
    for (int d : domain) {
      domains = Math.max(domains, d + 1);
    }
    while (true) {
      long total = 0;
      long[] perDomain = new long[domains];
      for (int i = 0; i < s.length; i++) {
        total += s[i];
        perDomain[domain[i]] += s[i];
      }
      long chainCount = total / replicas;
      boolean trimmed = false;
      for (int d = 0; d < domains; d++) {
        // a domain can hold at most one replica of each chain
        for (long excess = perDomain[d] - chainCount; excess > 0; excess--) {
          takeOneFromFullest(s, domain, d);
          trimmed = true;
        }
      }
      if (!trimmed) {
        for (long extra = total - chainCount * replicas; extra > 0; extra--) {
          takeOneFromFullest(s, domain, -1);
        }
        return s;
      }
    }
  }

  private static void takeOneFromFullest(int[] s, int[] domain, int onlyDomain) {
    int best = -1;
    for (int i = 0; i < s.length; i++) {
      if ((onlyDomain < 0 || domain[i] == onlyDomain) && s[i] > 0 && (best < 0 || s[i] > s[best])) {
        best = i;
      }
    }
    s[best]--;
  }

  // ---- greedy construction ------------------------------------------------------------------

  private IntList[] buckets;
  private int[] remaining;
  private int[] bucketPos;
  private int maxLevel;

  private void greedy(int[] slots) {
    int n = slots.length;
    long total = 0;
    for (int s : slots) {
      total += s;
      maxLevel = Math.max(maxLevel, s);
    }
    int chainCount = (int) (total / replicas);
    remaining = slots.clone();
    bucketPos = new int[n];
    buckets = new IntList[maxLevel + 1];
    for (int level = 0; level <= maxLevel; level++) {
      buckets[level] = new IntList();
    }
    int[] order = shuffledRange(n);
    for (int node : order) {
      if (remaining[node] > 0) {
        bucketPos[node] = buckets[remaining[node]].size();
        buckets[remaining[node]].add(node);
      }
    }
    chains = new int[chainCount][replicas];
    pairs = new PairCounter(Math.max(16, chainCount * replicas * (replicas - 1) / 2));
    for (int c = 0; c < chainCount; c++) {
      int[] chain = chains[c];
      for (int p = 0; p < replicas; p++) {
        int node = pick(chain, p);
        chain[p] = node;
        for (int q = 0; q < p; q++) {
          pairs.add(chain[q], node, 1);
        }
        takeSlot(node);
      }
    }
    buckets = null;
    remaining = null;
    bucketPos = null;
  }

  private void takeSlot(int node) {
    int level = remaining[node];
    IntList from = buckets[level];
    int pos = bucketPos[node];
    int moved = from.removeAt(pos);
    if (moved != node) {
      throw new IllegalStateException("bucket index out of step");
    }
    if (pos < from.size()) {
      bucketPos[from.get(pos)] = pos;
    }
    remaining[node] = level - 1;
    if (level - 1 > 0) {
      bucketPos[node] = buckets[level - 1].size();
      buckets[level - 1].add(node);
    }
    while (maxLevel > 0 && buckets[maxLevel].isEmpty()) {
      maxLevel--;
    }
  }

  private int pick(int[] chain, int p) {
    int best = -1;
    long bestScore = Long.MAX_VALUE;
    for (int level = maxLevel; level >= 1; level--) {
      boolean topLevels = level >= maxLevel - 1;
      if (!topLevels && best >= 0) {
        break;
      }
      IntList bucket = buckets[level];
      int size = bucket.size();
      if (size == 0) {
        continue;
      }
      int start = random.nextInt(size);
      int scanned = 0;
      for (int k = 0; k < size; k++) {
        int v = bucket.get((start + k) % size);
        if (clashes(chain, p, v)) {
          continue;
        }
        long cost = 0;
        for (int q = 0; q < p; q++) {
          cost += pairs.get(chain[q], v);
        }
        long score = cost * 4 + (maxLevel - level);
        if (score < bestScore) {
          best = v;
          bestScore = score;
          if (score == 0) {
            return v;
          }
        }
        if (++scanned >= SCAN_LIMIT && best >= 0) {
          break;
        }
      }
    }
    if (best >= 0) {
      return best;
    }
    // No node outside the chain's domains has slots left: take one anyway; repair fixes it.
    for (int level = maxLevel; level >= 1; level--) {
      IntList bucket = buckets[level];
      for (int k = 0; k < bucket.size(); k++) {
        int v = bucket.get(k);
        boolean inChain = false;
        for (int q = 0; q < p; q++) {
          inChain |= chain[q] == v;
        }
        if (!inChain) {
          return v;
        }
      }
    }
    return buckets[maxLevel].get(0);
  }

  private boolean clashes(int[] chain, int p, int v) {
    for (int q = 0; q < p; q++) {
      if (domain[chain[q]] == domain[v]) {
        return true;
      }
    }
    return false;
  }

  private int[] shuffledRange(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  // ---- repair by swaps ----------------------------------------------------------------------

  private void repair() {
    int chainCount = chains.length;
    if (chainCount < 2) {
      return;
    }
    int n = domain.length;
    chainsOfNode = new IntList[n];
    for (int i = 0; i < n; i++) {
      chainsOfNode[i] = new IntList();
    }
    ArrayDeque<Integer> invalid = new ArrayDeque<>();
    for (int c = 0; c < chainCount; c++) {
      for (int node : chains[c]) {
        chainsOfNode[node].add(c);
      }
      if (conflicts(chains[c]) > 0) {
        invalid.add(c);
      }
    }
    ArrayDeque<Long> hot = new ArrayDeque<>();
    pairs.forEachAbove(bound, (a, b, count) -> hot.add(((long) a << 32) | b));
    long budget = 200_000L + 40L * chainCount * replicas;
    while (budget > 0) {
      int a;
      int posX;
      boolean fromInvalid;
      if (!invalid.isEmpty()) {
        a = invalid.peekFirst();
        if (conflicts(chains[a]) == 0) {
          invalid.pollFirst();
          continue;
        }
        posX = conflictPosition(chains[a]);
        fromInvalid = true;
      } else if (!hot.isEmpty()) {
        long pair = hot.peekFirst();
        int u = (int) (pair >>> 32);
        int v = (int) pair;
        if (pairs.get(u, v) <= bound) {
          hot.pollFirst();
          continue;
        }
        a = chainWithBoth(u, v);
        posX = indexOf(chains[a], random.nextBoolean() ? u : v);
        fromInvalid = false;
      } else {
        break;
      }
      long bestDelta = Long.MAX_VALUE;
      int bestB = -1;
      int bestJ = -1;
      for (int t = 0; t < TRIES_PER_PROBLEM; t++) {
        int b = random.nextInt(chainCount);
        if (b == a) {
          continue;
        }
        int j = random.nextInt(replicas);
        long delta = evaluate(a, posX, b, j);
        budget--;
        if (delta < bestDelta) {
          bestDelta = delta;
          bestB = b;
          bestJ = j;
        }
      }
      if (bestB >= 0 && (bestDelta < 0 || (bestDelta == 0 && random.nextInt(4) == 0))) {
        apply(a, posX, bestB, bestJ, hot);
        if (conflicts(chains[bestB]) > 0) {
          invalid.add(bestB);
        }
      } else if (fromInvalid) {
        invalid.addLast(invalid.pollFirst());
      } else {
        hot.addLast(hot.pollFirst());
      }
    }
  }

  private int conflicts(int[] chain) {
    int count = 0;
    for (int i = 0; i < chain.length; i++) {
      for (int j = i + 1; j < chain.length; j++) {
        if (domain[chain[i]] == domain[chain[j]]) {
          count++;
        }
      }
    }
    return count;
  }

  private int conflictPosition(int[] chain) {
    for (int i = 0; i < chain.length; i++) {
      for (int j = i + 1; j < chain.length; j++) {
        if (domain[chain[i]] == domain[chain[j]]) {
          return random.nextBoolean() ? i : j;
        }
      }
    }
    throw new IllegalStateException("no conflict");
  }

  private int chainWithBoth(int u, int v) {
    IntList list = chainsOfNode[u];
    int found = -1;
    int seen = 0;
    for (int k = 0; k < list.size(); k++) {
      int c = list.get(k);
      if (indexOf(chains[c], v) >= 0 && random.nextInt(++seen) == 0) {
        found = c;
      }
    }
    return found;
  }

  private static int indexOf(int[] chain, int node) {
    for (int i = 0; i < chain.length; i++) {
      if (chain[i] == node) {
        return i;
      }
    }
    return -1;
  }

  private long cost(int count) {
    long c = count;
    return c * c + (count > bound ? OVER_BOUND_PENALTY * (count - bound) : 0);
  }

  private long change(int u, int w, int delta) {
    int after = pairs.add(u, w, delta);
    return cost(after) - cost(after - delta);
  }

  /** The cost change of swapping chains[a][i] with chains[b][j]; counts are left unchanged. */
  private long evaluate(int a, int i, int b, int j) {
    int[] chainA = chains[a];
    int[] chainB = chains[b];
    int x = chainA[i];
    int y = chainB[j];
    if (x == y) {
      return Long.MAX_VALUE;
    }
    int before = conflicts(chainA) + conflicts(chainB);
    chainA[i] = y;
    chainB[j] = x;
    int after = conflicts(chainA) + conflicts(chainB);
    chainA[i] = x;
    chainB[j] = y;
    if (after > before) {
      return Long.MAX_VALUE;
    }
    long delta = pairMoves(chainA, i, x, y, 1) + pairMoves(chainB, j, y, x, 1);
    pairMoves(chainB, j, y, x, -1);
    pairMoves(chainA, i, x, y, -1);
    return (after - before) * CONFLICT_WEIGHT + delta;
  }

  /**
   * In chain (position pos held by out), replaces out by in in the pair counts (sign -1 undoes).
   */
  private long pairMoves(int[] chain, int pos, int out, int in, int sign) {
    long delta = 0;
    for (int k = 0; k < chain.length; k++) {
      if (k != pos) {
        delta += change(out, chain[k], -sign);
        delta += change(in, chain[k], sign);
      }
    }
    return delta;
  }

  private void apply(int a, int i, int b, int j, ArrayDeque<Long> hot) {
    int[] chainA = chains[a];
    int[] chainB = chains[b];
    int x = chainA[i];
    int y = chainB[j];
    pairMoves(chainA, i, x, y, 1);
    pairMoves(chainB, j, y, x, 1);
    chainA[i] = y;
    chainB[j] = x;
    chainsOfNode[x].removeValue(a);
    chainsOfNode[x].add(b);
    chainsOfNode[y].removeValue(b);
    chainsOfNode[y].add(a);
    for (int k = 0; k < replicas; k++) {
      if (k != i && pairs.get(y, chainA[k]) > bound) {
        hot.add(((long) Math.min(y, chainA[k]) << 32) | Math.max(y, chainA[k]));
      }
      if (k != j && pairs.get(x, chainB[k]) > bound) {
        hot.add(((long) Math.min(x, chainB[k]) << 32) | Math.max(x, chainB[k]));
      }
    }
  }
}
