package io.catena.storage.chain;

/** Steps of the write path where tests inject a crash. Each applies at every replica. */
public enum FaultPoint {
  /** The update arrived; nothing written. */
  BEFORE_STAGE,
  /** The pending version is on disk; not yet forwarded. */
  AFTER_STAGE,
  /** The successors committed; this replica has not. */
  AFTER_FORWARD,
  /** This replica committed; the reply has not been sent. */
  AFTER_COMMIT
}
