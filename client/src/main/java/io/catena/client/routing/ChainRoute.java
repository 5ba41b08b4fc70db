package io.catena.client.routing;

import java.util.List;
import java.util.Optional;

/**
 * Where one chain's I/O goes, at one chain version: members head first. Writes go to the head (the
 * first member on the write path, SERVING or SYNCING, and it must be SERVING); reads go to any
 * SERVING member.
 */
public record ChainRoute(int chainId, long version, List<Replica> members) {

  public ChainRoute {
    members = List.copyOf(members);
  }

  /** The head writes enter at, if the chain can take writes now. */
  public Optional<Replica> head() {
    for (Replica r : members) {
      if (r.state() == ReplicaState.SERVING || r.state() == ReplicaState.SYNCING) {
        return r.state() == ReplicaState.SERVING && !r.address().isEmpty()
            ? Optional.of(r)
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The members that serve reads. */
  public List<Replica> readable() {
    return members.stream()
        .filter(r -> r.state() == ReplicaState.SERVING && !r.address().isEmpty())
        .toList();
  }
}
