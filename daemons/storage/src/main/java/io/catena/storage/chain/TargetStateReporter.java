package io.catena.storage.chain;

/**
 * What a storage daemon tells mgmtd about its targets: local state changes and sync completion.
 * mgmtd's heartbeat client implements it; until then {@code LocalStateBoard} records the states for
 * the admin API and tests.
 */
public interface TargetStateReporter {
  /**
   * The target's local state, decided against routing in which its chain is at {@code chainVersion}
   * (0: no routing for it yet). mgmtd takes a SYNCING target's UPTODATE for a finished sync only
   * when that version is the chain's current one.
   */
  void localStateChanged(long targetId, int chainId, LocalTargetState state, long chainVersion);

  /** The target finished syncing from its predecessor and holds every committed write. */
  void syncDone(long targetId, int chainId);
}
