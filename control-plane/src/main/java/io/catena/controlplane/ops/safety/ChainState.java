package io.catena.controlplane.ops.safety;

import io.catena.topology.TargetPublicState;
import java.util.List;

/** A chain as the safety rules see it: its members, their nodes and public states. */
public record ChainState(int chainId, List<Member> members) {

  public ChainState {
    members = List.copyOf(members);
  }

  /** One replica. */
  public record Member(long targetId, int nodeId, TargetPublicState state) {}

  public boolean touches(int nodeId) {
    return members.stream().anyMatch(m -> m.nodeId() == nodeId);
  }

  /** SERVING replicas on nodes other than {@code nodeId}. */
  public long servingElsewhere(int nodeId) {
    return members.stream()
        .filter(m -> m.nodeId() != nodeId && m.state() == TargetPublicState.SERVING)
        .count();
  }
}
