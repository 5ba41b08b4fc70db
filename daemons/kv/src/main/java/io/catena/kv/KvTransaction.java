package io.catena.kv;

/**
 * One serializable transaction: it reads a consistent snapshot taken at its read version and sees
 * its own writes; at commit it fails with {@link KvConflictException} when anything it read (a key,
 * or any key inside a range it read, present or not) was changed by a transaction that committed
 * after its read version. Writes are buffered and applied atomically at commit.
 */
public interface KvTransaction extends KvReader, AutoCloseable {

  void set(byte[] key, byte[] value);

  void clear(byte[] key);

  /**
   * Adds {@code delta} to the counter under {@code key} (8-byte little-endian, absent = 0) at
   * commit, without reading it: concurrent adds to one key do not conflict with each other
   * (FoundationDB's ADD mutation). Reading the key in this transaction makes it a normal read.
   */
  void add(byte[] key, long delta);

  /** Clears every key in {@code [begin, end)}. */
  void clearRange(byte[] begin, byte[] end);

  /** Reads that add no read conflicts (they may see data other transactions change meanwhile). */
  KvReader snapshot();

  /** The version this transaction reads at. */
  long readVersion();

  /**
   * Makes the writes durable and visible, or throws {@link KvConflictException} (retryable) and
   * changes nothing. A read-only transaction commits trivially.
   */
  void commit();

  /**
   * Commits like {@link #commit()} but may return before the commit is on stable storage: it
   * survives the process dying, not the machine losing power, and a later durable commit makes it
   * durable too (the log is ordered). For soft state whose loss is harmless, such as read leases
   * and access times. Engines without a cheaper path commit durably.
   */
  default void commitLazily() {
    commit();
  }

  /** Releases the transaction; uncommitted writes are dropped. */
  @Override
  void close();
}
