package io.catena.kv.occ;

import io.catena.kv.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** What a transaction read: single keys and key ranges (present keys or not). */
public final class ReadSet {

  private final TreeSet<byte[]> keys = new TreeSet<>(Keys.ORDER);
  private final List<KeyRange> ranges = new ArrayList<>();

  void addKey(byte[] key) {
    keys.add(key.clone());
  }

  void addRange(byte[] begin, byte[] end) {
    KeyRange range = new KeyRange(begin.clone(), end.clone());
    if (!range.isEmpty()) {
      ranges.add(range);
    }
  }

  /** True when the writes of a committed transaction touch anything this set read. */
  boolean intersects(CommittedWrites writes) {
    for (byte[] key : keys) {
      if (writes.touches(key)) {
        return true;
      }
    }
    for (KeyRange range : ranges) {
      if (writes.touches(range)) {
        return true;
      }
    }
    return false;
  }

  boolean isEmpty() {
    return keys.isEmpty() && ranges.isEmpty();
  }
}
