package io.catena.kv.occ;

/** A consistent, read-only view of a {@link VersionedStore} at one version. */
public interface StoreView extends AutoCloseable {

  long version();

  byte[] get(byte[] key);

  /** The entries of {@code [begin, end)} in key order, or reverse order. */
  Cursor scan(byte[] begin, byte[] end, boolean reverse);

  @Override
  void close();
}
