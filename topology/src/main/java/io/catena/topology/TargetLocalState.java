package io.catena.topology;

/** A target's state as its storage node reports it in heartbeats. */
public enum TargetLocalState {
  /** Alive and holding every committed write of its chain. */
  UPTODATE,
  /** Alive, but possibly missing writes (after a restart, before a sync). */
  ONLINE,
  /** Not reachable, or its disk failed. */
  OFFLINE
}
