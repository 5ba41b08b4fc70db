package io.catena.topology;

/**
 * A storage target: a slice of one disk of one node that holds one replica of one chain (or none
 * yet: a spare). Capacity is the target's share of its disk; used bytes what it holds now.
 */
public record Target(
    TargetId id,
    NodeId node,
    int disk,
    long capacityBytes,
    long usedBytes,
    TargetPublicState publicState,
    TargetLocalState localState) {

  public Target {
    if (id == null || node == null || publicState == null || localState == null) {
      throw new IllegalArgumentException("a target needs an id, a node and both states");
    }
    if (capacityBytes < 0 || usedBytes < 0) {
      throw new IllegalArgumentException(id + ": capacity and used bytes must be >= 0");
    }
  }

  /** A new, empty, serving target. */
  public static Target serving(TargetId id, NodeId node, int disk, long capacityBytes) {
    return new Target(
        id, node, disk, capacityBytes, 0, TargetPublicState.SERVING, TargetLocalState.UPTODATE);
  }

  public Target withUsedBytes(long bytes) {
    return new Target(id, node, disk, capacityBytes, bytes, publicState, localState);
  }

  public Target withStates(TargetPublicState publicState, TargetLocalState localState) {
    return new Target(id, node, disk, capacityBytes, usedBytes, publicState, localState);
  }

  /** Whether the target takes reads and writes now. */
  public boolean isServing() {
    return publicState == TargetPublicState.SERVING;
  }
}
