package io.catena.topology;

/**
 * A target's state as mgmtd publishes it with the chain, seen by clients and storage. The
 * transitions belong to mgmtd (its chain-state function); this module only names the states.
 */
public enum TargetPublicState {
  /** Up to date: takes reads and writes. */
  SERVING,
  /**
   * The last serving replica of its chain when it failed: holds the newest data, serves nothing.
   */
  LASTSRV,
  /** Catching up from its predecessor: receives writes, serves no reads. */
  SYNCING,
  /** Alive, waiting for its turn to sync (one target per chain syncs at a time). */
  WAITING,
  /** Down or removed from service. */
  OFFLINE;

  /** Whether clients may read from a target in this state. */
  public boolean servesReads() {
    return this == SERVING;
  }

  /** Whether writes flow through a target in this state. */
  public boolean receivesWrites() {
    return this == SERVING || this == SYNCING;
  }
}
