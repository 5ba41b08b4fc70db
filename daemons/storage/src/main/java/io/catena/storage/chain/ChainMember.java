package io.catena.storage.chain;

import java.util.Objects;

/** One target of a chain: its id, public state and the address (host:port) of its daemon. */
public record ChainMember(long targetId, PublicTargetState state, String address) {
  public ChainMember {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(address, "address");
  }
}
