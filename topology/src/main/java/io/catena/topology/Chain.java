package io.catena.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * A replication chain: its targets in chain order, head first (writes enter there) and tail last
 * (commits start there). The version increases with every change of membership or order.
 */
public record Chain(ChainId id, int version, List<TargetId> targets) {
  public Chain {
    if (id == null) {
      throw new IllegalArgumentException("chain id is missing");
    }
    if (version < 1) {
      throw new IllegalArgumentException(id + ": version must be >= 1, got " + version);
    }
    targets = targets == null ? List.of() : List.copyOf(targets);
  }

  public TargetId head() {
    return targets.getFirst();
  }

  public TargetId tail() {
    return targets.getLast();
  }

  public int replicas() {
    return targets.size();
  }

  public boolean contains(TargetId target) {
    return targets.contains(target);
  }

  /** This chain with {@code target} first and the others in their order; version + 1. */
  public Chain withHead(TargetId target) {
    if (!targets.contains(target)) {
      throw new IllegalArgumentException(target + " is not in " + id);
    }
    if (head().equals(target)) {
      return this;
    }
    List<TargetId> order = new ArrayList<>(targets.size());
    order.add(target);
    for (TargetId t : targets) {
      if (!t.equals(target)) {
        order.add(t);
      }
    }
    return new Chain(id, version + 1, order);
  }

  /**
   * This chain after a replica move: {@code added} joins at the tail (where a new replica syncs
   * from its predecessor), then {@code removed} leaves; version + 2, one per membership change.
   */
  public Chain withReplicaMoved(TargetId removed, TargetId added) {
    if (!targets.contains(removed)) {
      throw new IllegalArgumentException(removed + " is not in " + id);
    }
    if (targets.contains(added)) {
      throw new IllegalArgumentException(added + " is already in " + id);
    }
    List<TargetId> order = new ArrayList<>(targets.size());
    for (TargetId t : targets) {
      if (!t.equals(removed)) {
        order.add(t);
      }
    }
    order.add(added);
    return new Chain(id, version + 2, order);
  }
}
