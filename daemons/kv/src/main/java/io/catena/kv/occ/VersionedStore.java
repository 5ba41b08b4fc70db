package io.catena.kv.occ;

/**
 * The storage under {@link OccKvEngine}: consistent views at a version, and atomic application of a
 * transaction's writes. {@link #apply} is only ever called by one thread at a time.
 */
public interface VersionedStore extends AutoCloseable {

  /** A view of everything committed so far. */
  StoreView openView();

  /**
   * Applies {@code writes} atomically and returns their commit version, which is greater than the
   * version of every view opened before. {@code oldestReadVersion} is the oldest version an open
   * view may still read at (older history may be dropped).
   */
  long apply(WriteBuffer writes, long oldestReadVersion);

  /** Returns once the commit with {@code version} survives a crash (per the store's durability). */
  void awaitDurable(long version);

  @Override
  void close();
}
