package io.catena.storage.chain;

/**
 * What a storage daemon tells mgmtd about its targets: local state changes and sync completion.
 * mgmtd's heartbeat client implements it; until then {@code LocalStateBoard} records the states for
 * the admin API and tests.
 */
public interface TargetStateReporter {
  void localStateChanged(long targetId, int chainId, LocalTargetState state);

  /** The target finished syncing from its predecessor and holds every committed write. */
  void syncDone(long targetId, int chainId);
}
