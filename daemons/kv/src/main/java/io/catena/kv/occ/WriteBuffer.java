package io.catena.kv.occ;

import io.catena.kv.Keys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The writes of one transaction, in the form they are applied at commit: first every cleared range,
 * then the point operations (a value, or {@link #TOMBSTONE} for a cleared key). A set after a
 * clearRange lands in the point operations and so survives it; a clearRange drops earlier sets. An
 * add on a key this transaction already set or cleared folds into that value; otherwise it is kept
 * as a pending delta, applied last to whatever the store holds at commit.
 */
public final class WriteBuffer {

  /** Marks a cleared key among the point operations. */
  public static final byte[] TOMBSTONE = new byte[0];

  private final TreeMap<byte[], byte[]> ops = new TreeMap<>(Keys.ORDER);
  private final TreeMap<byte[], Long> adds = new TreeMap<>(Keys.ORDER);
  private final List<KeyRange> clearedRanges = new ArrayList<>();

  public void set(byte[] key, byte[] value) {
    adds.remove(key);
    ops.put(key.clone(), value.clone());
  }

  public void clear(byte[] key) {
    adds.remove(key);
    ops.put(key.clone(), TOMBSTONE);
  }

  public void add(byte[] key, long delta) {
    byte[] local = ops.get(key);
    if (local != null) {
      long base = isTombstone(local) ? 0 : Keys.readLe64(local);
      ops.put(key.clone(), Keys.le64(base + delta));
    } else if (rangeCleared(key)) {
      ops.put(key.clone(), Keys.le64(delta));
    } else {
      adds.merge(key.clone(), delta, Long::sum);
    }
  }

  public void clearRange(byte[] begin, byte[] end) {
    KeyRange range = new KeyRange(begin.clone(), end.clone());
    if (range.isEmpty()) {
      return;
    }
    ops.subMap(begin, true, end, false).clear();
    adds.subMap(begin, true, end, false).clear();
    clearedRanges.add(range);
  }

  public boolean isEmpty() {
    return ops.isEmpty() && adds.isEmpty() && clearedRanges.isEmpty();
  }

  /** Point operations in key order; a value identical to {@link #TOMBSTONE} means cleared. */
  public NavigableMap<byte[], byte[]> ops() {
    return Collections.unmodifiableNavigableMap(ops);
  }

  /** Pending counter deltas on keys this transaction neither set nor cleared. */
  public NavigableMap<byte[], Long> adds() {
    return Collections.unmodifiableNavigableMap(adds);
  }

  public List<KeyRange> clearedRanges() {
    return Collections.unmodifiableList(clearedRanges);
  }

  /** True when a clearRange of this transaction hides whatever the store holds for {@code key}. */
  public boolean rangeCleared(byte[] key) {
    for (KeyRange r : clearedRanges) {
      if (r.contains(key)) {
        return true;
      }
    }
    return false;
  }

  public static boolean isTombstone(byte[] value) {
    return value == TOMBSTONE;
  }
}
