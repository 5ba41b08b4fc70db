package io.catena.kv.occ;

import io.catena.kv.Keys;

/** The half-open key range {@code [begin, end)}. */
public record KeyRange(byte[] begin, byte[] end) {

  public boolean contains(byte[] key) {
    return Keys.compare(begin, key) <= 0 && Keys.compare(key, end) < 0;
  }

  public boolean overlaps(byte[] otherBegin, byte[] otherEnd) {
    return Keys.compare(begin, otherEnd) < 0 && Keys.compare(otherBegin, end) < 0;
  }

  public boolean isEmpty() {
    return Keys.compare(begin, end) >= 0;
  }
}
