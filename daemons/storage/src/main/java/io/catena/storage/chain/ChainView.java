package io.catena.storage.chain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One chain as routing info describes it: members in chain order (head first, tail last). Writes
 * flow through the members that are SERVING or SYNCING, in order; the head is the first of them and
 * must be SERVING.
 */
public record ChainView(int chainId, long version, List<ChainMember> members) {
  public ChainView {
    members = List.copyOf(members);
    if (version <= 0) {
      throw new IllegalArgumentException("chain version must be positive, got " + version);
    }
    if (members.stream().map(ChainMember::targetId).distinct().count() != members.size()) {
      throw new IllegalArgumentException("chain " + chainId + " lists a target twice");
    }
  }

  public Optional<ChainMember> member(long targetId) {
    return members.stream().filter(m -> m.targetId() == targetId).findFirst();
  }

  /** The head: the first write-path member, if it is SERVING. */
  public Optional<ChainMember> head() {
    return members.stream()
        .filter(m -> m.state().inWritePath())
        .findFirst()
        .filter(m -> m.state() == PublicTargetState.SERVING);
  }

  /** The next write-path member after {@code targetId}; empty for the tail. */
  public Optional<ChainMember> successorOf(long targetId) {
    boolean seen = false;
    for (ChainMember m : members) {
      if (seen && m.state().inWritePath()) {
        return Optional.of(m);
      }
      if (m.targetId() == targetId) {
        seen = true;
      }
    }
    return Optional.empty();
  }

  /** The write-path member before {@code targetId}; empty for the head. */
  public Optional<ChainMember> predecessorOf(long targetId) {
    ChainMember previous = null;
    for (ChainMember m : members) {
      if (m.targetId() == targetId) {
        return Optional.ofNullable(previous);
      }
      if (m.state().inWritePath()) {
        previous = m;
      }
    }
    return Optional.empty();
  }

  /** The write-path members before {@code targetId}, head first; empty for the head. */
  public Set<Long> upstreamOf(long targetId) {
    Set<Long> upstream = new LinkedHashSet<>();
    for (ChainMember m : members) {
      if (m.targetId() == targetId) {
        return upstream;
      }
      if (m.state().inWritePath()) {
        upstream.add(m.targetId());
      }
    }
    return upstream;
  }

  public PublicTargetState stateOf(long targetId) {
    return member(targetId).map(ChainMember::state).orElse(PublicTargetState.OFFLINE);
  }
}
