package io.catena.kv.occ;

import io.catena.kv.Keys;
import java.util.List;
import java.util.TreeSet;

/** The keys and ranges one committed transaction wrote, kept for conflict checks. */
record CommittedWrites(long version, TreeSet<byte[]> keys, List<KeyRange> clearedRanges) {

  static CommittedWrites of(long version, WriteBuffer writes) {
    TreeSet<byte[]> keys = new TreeSet<>(Keys.ORDER);
    keys.addAll(writes.ops().keySet());
    keys.addAll(writes.adds().keySet());
    return new CommittedWrites(version, keys, List.copyOf(writes.clearedRanges()));
  }

  boolean touches(byte[] key) {
    if (keys.contains(key)) {
      return true;
    }
    for (KeyRange r : clearedRanges) {
      if (r.contains(key)) {
        return true;
      }
    }
    return false;
  }

  boolean touches(KeyRange range) {
    byte[] first = keys.ceiling(range.begin());
    if (first != null && Keys.compare(first, range.end()) < 0) {
      return true;
    }
    for (KeyRange r : clearedRanges) {
      if (r.overlaps(range.begin(), range.end())) {
        return true;
      }
    }
    return false;
  }
}
