package io.catena.storage.chain;

/**
 * A target's own view of itself, reported to mgmtd: UPTODATE holds every committed write of its
 * chain; ONLINE is alive but may lack writes (needs sync); OFFLINE serves nothing.
 */
public enum LocalTargetState {
  UPTODATE,
  ONLINE,
  OFFLINE
}
