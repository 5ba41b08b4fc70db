package io.catena.controlplane.ops.safety;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a node's storage daemon may be restarted now: every chain with a replica on it must keep
 * another SERVING replica on another node, so no chain stops serving while it is down.
 */
public final class RollingRestartGuard {

  private RollingRestartGuard() {}

  /** Empty when the restart is safe; otherwise why not, naming the chains that would stop. */
  public static Optional<String> check(List<ChainState> chains, int nodeId) {
    List<String> blocked = new ArrayList<>();
    for (ChainState chain : chains) {
      if (chain.touches(nodeId) && chain.servingElsewhere(nodeId) == 0) {
        blocked.add("chain-" + chain.chainId());
      }
    }
    if (blocked.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "restarting node "
            + nodeId
            + " would leave "
            + String.join(", ", blocked)
            + " with no serving replica: wait until their other replicas serve");
  }
}
