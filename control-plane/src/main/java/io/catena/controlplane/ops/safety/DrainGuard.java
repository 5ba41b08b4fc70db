package io.catena.controlplane.ops.safety;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a node may be drained: while its replicas move, each chain on it must keep at least R−1
 * SERVING replicas on other nodes (counting the draining replica as already gone, the worst case if
 * a move fails half-way). A chain already below that must be repaired first.
 */
public final class DrainGuard {

  private DrainGuard() {}

  /** Empty when the drain is safe; otherwise why not, naming every chain that blocks it. */
  public static Optional<String> check(List<ChainState> chains, int nodeId, int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replication factor must be >= 1, got " + replicas);
    }
    List<String> blocked = new ArrayList<>();
    for (ChainState chain : chains) {
      if (!chain.touches(nodeId)) {
        continue;
      }
      long others = chain.servingElsewhere(nodeId);
      if (others < replicas - 1) {
        blocked.add("chain-" + chain.chainId() + " (" + others + " serving elsewhere)");
      }
    }
    if (blocked.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "draining node "
            + nodeId
            + " would leave "
            + String.join(", ", blocked)
            + " below R-1="
            + (replicas - 1)
            + " serving replicas: repair "
            + (blocked.size() == 1 ? "it" : "them")
            + " first");
  }
}
