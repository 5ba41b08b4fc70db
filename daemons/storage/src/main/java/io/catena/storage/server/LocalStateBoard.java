package io.catena.storage.server;

import io.catena.storage.chain.LocalTargetState;
import io.catena.storage.chain.TargetStateReporter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the last local state and the sync completions of each target. It stands in for mgmtd's
 * heartbeat reporter (which will implement {@link TargetStateReporter} itself) and feeds tests.
 */
public final class LocalStateBoard implements TargetStateReporter {
  private final Map<Long, LocalTargetState> states = new ConcurrentHashMap<>();
  private final Map<Long, Integer> syncsDone = new ConcurrentHashMap<>();

  @Override
  public void localStateChanged(
      long targetId, int chainId, LocalTargetState state, long chainVersion) {
    states.put(targetId, state);
  }

  @Override
  public void syncDone(long targetId, int chainId) {
    syncsDone.merge(targetId, 1, Integer::sum);
  }

  public Optional<LocalTargetState> state(long targetId) {
    return Optional.ofNullable(states.get(targetId));
  }

  public int syncsDone(long targetId) {
    return syncsDone.getOrDefault(targetId, 0);
  }
}
