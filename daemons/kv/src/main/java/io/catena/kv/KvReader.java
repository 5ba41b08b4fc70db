package io.catena.kv;

/**
 * Reads inside a transaction. Keys and values are byte arrays; keys order by unsigned lexicographic
 * comparison. Reads through a {@link KvTransaction} add read conflicts; reads through {@link
 * KvTransaction#snapshot()} do not.
 */
public interface KvReader {

  /** The value stored under {@code key}, or {@code null} when there is none. */
  byte[] get(byte[] key);

  /**
   * Up to {@code limit} entries with {@code begin <= key < end}, ascending, or descending when
   * {@code reverse}. {@link RangeResult#more()} says whether the range holds further entries; the
   * next page starts after the last key returned (see {@link Keys#after}).
   */
  RangeResult getRange(byte[] begin, byte[] end, int limit, boolean reverse);

  /** Ascending page of {@code [begin, end)}. */
  default RangeResult getRange(byte[] begin, byte[] end, int limit) {
    return getRange(begin, end, limit, false);
  }
}
