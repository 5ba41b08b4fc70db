package io.catena.topology.placement;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Chooses chain heads so that every node heads the same number of chains, within one. Writes enter
 * at heads, so heads are load. Works in place on chains of node indexes (position 0 is the head)
 * and changes as few heads as it can: it starts from the current heads and moves one head at a time
 * along an augmenting path (node a hands the head of one of its chains to a member b, b to c, ...)
 * from a node over the upper bound to one under it, then from one over the lower bound to one under
 * it. Such a path exists whenever a balanced assignment does.
 */
public final class HeadBalancer {

  private final int[][] chains;
  private final int[] heads;
  private final IntList[] headed;
  private final IntList[] member;

  private HeadBalancer(int[][] chains, int nodeCount) {
    this.chains = chains;
    heads = new int[nodeCount];
    headed = new IntList[nodeCount];
    member = new IntList[nodeCount];
    for (int i = 0; i < nodeCount; i++) {
      headed[i] = new IntList();
      member[i] = new IntList();
    }
    for (int c = 0; c < chains.length; c++) {
      heads[chains[c][0]]++;
      headed[chains[c][0]].add(c);
      for (int node : chains[c]) {
        member[node].add(c);
      }
    }
  }

  /**
   * Rotates heads in place. Nodes taking part are those in at least one chain; each ends with floor
   * or ceil of chains/nodes heads when that is possible.
   *
   * @return how many chains got a new head
   */
  public static int balance(int[][] chains, int nodeCount) {
    int[] original = new int[chains.length];
    for (int c = 0; c < chains.length; c++) {
      original[c] = chains[c][0];
    }
    HeadBalancer balancer = new HeadBalancer(chains, nodeCount);
    balancer.run();
    int changed = 0;
    for (int c = 0; c < chains.length; c++) {
      if (chains[c][0] != original[c]) {
        changed++;
      }
    }
    return changed;
  }

  /**
   * Picks heads from scratch for new chains: each chain's member with the fewest heads so far
   * leads, then {@link #balance} evens out the rest.
   */
  public static void assign(int[][] chains, int nodeCount) {
    int[] heads = new int[nodeCount];
    for (int[] chain : chains) {
      int best = 0;
      for (int p = 1; p < chain.length; p++) {
        if (heads[chain[p]] < heads[chain[best]]) {
          best = p;
        }
      }
      makeHead(chain, best);
      heads[chain[0]]++;
    }
    balance(chains, nodeCount);
  }

  /** Moves chain[pos] to the front, keeping the others' order. */
  static void makeHead(int[] chain, int pos) {
    int node = chain[pos];
    System.arraycopy(chain, 0, chain, 1, pos);
    chain[0] = node;
  }

  private void run() {
    int participating = 0;
    for (IntList list : member) {
      if (!list.isEmpty()) {
        participating++;
      }
    }
    if (participating == 0) {
      return;
    }
    int low = chains.length / participating;
    int high = (chains.length + participating - 1) / participating;
    for (int node = 0; node < heads.length; node++) {
      while (heads[node] > high && shiftFrom(node, high)) {
        // one head moved off node
      }
    }
    for (int node = 0; node < heads.length; node++) {
      while (!member[node].isEmpty() && heads[node] < low && shiftTo(node, low)) {
        // one head moved onto node
      }
    }
  }

  /**
   * Finds a path from {@code start} to a node with fewer than {@code high} heads; shifts along it.
   */
  private boolean shiftFrom(int start, int high) {
    int[] viaChain = new int[heads.length];
    int[] parent = new int[heads.length];
    Arrays.fill(parent, -2);
    parent[start] = -1;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      int a = queue.poll();
      IntList list = headed[a];
      for (int k = 0; k < list.size(); k++) {
        int c = list.get(k);
        for (int b : chains[c]) {
          if (parent[b] != -2) {
            continue;
          }
          parent[b] = a;
          viaChain[b] = c;
          if (heads[b] < high) {
            shiftAlong(b, parent, viaChain);
            return true;
          }
          queue.add(b);
        }
      }
    }
    return false;
  }

  /** Finds a path to {@code end} from a node with more than {@code low} heads; shifts along it. */
  private boolean shiftTo(int end, int low) {
    int[] viaChain = new int[heads.length];
    int[] child = new int[heads.length];
    Arrays.fill(child, -2);
    child[end] = -1;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(end);
    while (!queue.isEmpty()) {
      int b = queue.poll();
      IntList list = member[b];
      for (int k = 0; k < list.size(); k++) {
        int c = list.get(k);
        int a = chains[c][0];
        if (a == b || child[a] != -2) {
          continue;
        }
        child[a] = b;
        viaChain[a] = c;
        if (heads[a] > low) {
          // walk forward from a to end
          int node = a;
          while (node != end) {
            int next = child[node];
            moveHead(viaChain[node], node, next);
            node = next;
          }
          return true;
        }
        queue.add(a);
      }
    }
    return false;
  }

  private void shiftAlong(int end, int[] parent, int[] viaChain) {
    int node = end;
    while (parent[node] != -1) {
      int from = parent[node];
      moveHead(viaChain[node], from, node);
      node = from;
    }
  }

  private void moveHead(int chain, int from, int to) {
    int[] members = chains[chain];
    for (int p = 0; p < members.length; p++) {
      if (members[p] == to) {
        makeHead(members, p);
        break;
      }
    }
    heads[from]--;
    heads[to]++;
    headed[from].removeValue(chain);
    headed[to].add(chain);
  }
}
