package io.catena.storage.chain;

/**
 * A target's state as mgmtd publishes it in routing info. SERVING takes reads and writes, SYNCING
 * writes only; the others take neither.
 */
public enum PublicTargetState {
  SERVING,
  LASTSRV,
  SYNCING,
  WAITING,
  OFFLINE;

  /** Whether writes flow through a target in this state. */
  public boolean inWritePath() {
    return this == SERVING || this == SYNCING;
  }
}
