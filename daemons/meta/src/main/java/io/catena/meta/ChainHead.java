package io.catena.meta;

import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.Optional;

/**
 * Where updates of one chain enter, at one chain version: the first member on the write path
 * (SERVING or SYNCING), and only when it is SERVING and its node has an address.
 */
record ChainHead(int chainId, long chainVersion, long targetId, String address) {

  /** The head of {@code chainId} in {@code routing}; empty when the chain cannot take updates. */
  static Optional<ChainHead> of(RoutingInfo routing, int chainId) {
    for (ChainInfo chain : routing.getChainsList()) {
      if (chain.getChainId() != chainId) {
        continue;
      }
      for (ChainMember m : chain.getMembersList()) {
        PublicState s = m.getPublicState();
        if (s != PublicState.SERVING && s != PublicState.SYNCING) {
          continue;
        }
        if (s != PublicState.SERVING) {
          return Optional.empty();
        }
        return addressOf(routing, m.getTargetId())
            .map(a -> new ChainHead(chainId, chain.getVersion(), m.getTargetId(), a));
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<String> addressOf(RoutingInfo routing, long targetId) {
    for (TargetInfo t : routing.getTargetsList()) {
      if (t.getTargetId() == targetId) {
        for (NodeInfo n : routing.getNodesList()) {
          if (n.getNodeId() == t.getNodeId() && !n.getAddress().isEmpty()) {
            return Optional.of(n.getAddress());
          }
        }
      }
    }
    return Optional.empty();
  }
}
