package io.catena.mgmtd.chain;

import io.catena.topology.TargetId;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;

/** One replica of a chain as the chain-state function sees it: its id and both states. */
public record ChainMemberState(
    TargetId target, TargetPublicState publicState, TargetLocalState localState) {

  public ChainMemberState {
    if (target == null || publicState == null || localState == null) {
      throw new IllegalArgumentException("a chain member needs a target id and both states");
    }
  }

  boolean alive() {
    return localState != TargetLocalState.OFFLINE;
  }

  ChainMemberState withPublic(TargetPublicState state) {
    return new ChainMemberState(target, state, localState);
  }
}
