package io.catena.client.kv;

/** What became of one put. */
public enum KvPutStatus {
  /** Written and committed: readers see it. */
  STORED,
  /** The key was there already and no overwrite was asked; nothing written. */
  EXISTS,
  /** Another writer holds a reservation on the key. */
  BUSY,
  /** The tenant's KV capacity (or byte quota) is exhausted even after eviction. */
  NO_SPACE,
  /** Larger than the largest size class (1 GiB). */
  TOO_LARGE,
  /** The bytes could not be written, or the reservation was lost (session expired); not stored. */
  FAILED
}
