package io.catena.storage.chunk;

/** When the engine forces data and metadata to the device. See docs/storage.md. */
public enum FsyncPolicy {
  /**
   * Default. A staged version's data is forced ({@code fdatasync}) before it is forwarded, and the
   * commit's metadata batch is a synced RocksDB write: an acknowledged write survives power loss.
   */
  ALWAYS,
  /**
   * Nothing is forced: a process crash loses nothing (the OS holds the pages), a machine crash may
   * lose the latest versions. For benchmarks and tests only.
   */
  NEVER
}
