package io.catena.kv.occ;

import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvReader;
import io.catena.kv.KvTransaction;
import io.catena.kv.RangeResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A transaction of {@link OccKvEngine}: reads its view plus its own writes, records reads. */
final class OccTransaction implements KvTransaction {

  static final int MAX_KEY_BYTES = 10_000;
  static final int MAX_VALUE_BYTES = 100_000;

  private final OccKvEngine engine;
  private final StoreView view;
  private final long readVersion;
  private final WriteBuffer writes = new WriteBuffer();
  private final ReadSet reads = new ReadSet();
  private boolean committed;
  private boolean closed;

  OccTransaction(OccKvEngine engine, StoreView view) {
    this.engine = engine;
    this.view = view;
    this.readVersion = view.version();
  }

  WriteBuffer writes() {
    return writes;
  }

  ReadSet reads() {
    return reads;
  }

  @Override
  public long readVersion() {
    return readVersion;
  }

  @Override
  public byte[] get(byte[] key) {
    return read(key, true);
  }

  @Override
  public RangeResult getRange(byte[] begin, byte[] end, int limit, boolean reverse) {
    return readRange(begin, end, limit, reverse, true);
  }

  @Override
  public KvReader snapshot() {
    return new KvReader() {
      @Override
      public byte[] get(byte[] key) {
        return read(key, false);
      }

      @Override
      public RangeResult getRange(byte[] begin, byte[] end, int limit, boolean reverse) {
        return readRange(begin, end, limit, reverse, false);
      }
    };
  }

  private byte[] read(byte[] key, boolean conflict) {
    checkOpen();
    checkKey(key);
    Map<byte[], byte[]> ops = writes.ops();
    if (ops.containsKey(key)) {
      byte[] v = ops.get(key);
      return WriteBuffer.isTombstone(v) ? null : v.clone();
    }
    if (writes.rangeCleared(key)) {
      return null;
    }
    if (conflict) {
      reads.addKey(key);
    }
    Long delta = writes.adds().get(key);
    byte[] stored = view.get(key);
    return delta == null ? stored : Keys.le64(Keys.readLe64(stored) + delta);
  }

  private RangeResult readRange(
      byte[] begin, byte[] end, int limit, boolean reverse, boolean conflict) {
    checkOpen();
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    if (Keys.compare(begin, end) >= 0) {
      return new RangeResult(List.of(), false);
    }
    NavigableMap<byte[], byte[]> local = writes.ops().subMap(begin, true, end, false);
    NavigableMap<byte[], Long> added = writes.adds().subMap(begin, true, end, false);
    if (!added.isEmpty()) {
      // Pending counter deltas read as their sums with the stored values.
      TreeMap<byte[], byte[]> merged = new TreeMap<>(local);
      for (Map.Entry<byte[], Long> a : added.entrySet()) {
        merged.put(a.getKey(), Keys.le64(Keys.readLe64(view.get(a.getKey())) + a.getValue()));
      }
      local = merged;
    }
    Iterator<Map.Entry<byte[], byte[]>> mine =
        (reverse ? local.descendingMap() : local).entrySet().iterator();
    List<KeyValue> found = new ArrayList<>();
    try (Cursor stored = view.scan(begin, end, reverse)) {
      collect(mine, stored, reverse, limit, found);
    }
    boolean more = found.size() > limit;
    List<KeyValue> page = more ? found.subList(0, limit) : found;
    if (conflict) {
      if (!more) {
        reads.addRange(begin, end);
      } else if (reverse) {
        reads.addRange(page.getLast().key(), end);
      } else {
        reads.addRange(begin, Keys.after(page.getLast().key()));
      }
    }
    return new RangeResult(Collections.unmodifiableList(new ArrayList<>(page)), more);
  }

  /** Merges this transaction's writes over the stored entries until {@code limit + 1} are found. */
  private void collect(
      Iterator<Map.Entry<byte[], byte[]>> mine,
      Cursor stored,
      boolean reverse,
      int limit,
      List<KeyValue> found) {
    Map.Entry<byte[], byte[]> m = next(mine);
    KeyValue s = next(stored);
    while (found.size() <= limit && (m != null || s != null)) {
      int order;
      if (m == null) {
        order = 1;
      } else if (s == null) {
        order = -1;
      } else {
        order = Keys.compare(m.getKey(), s.key());
        if (reverse) {
          order = -order;
        }
      }
      if (order <= 0) {
        if (!WriteBuffer.isTombstone(m.getValue())) {
          found.add(new KeyValue(m.getKey().clone(), m.getValue().clone()));
        }
        m = next(mine);
        if (order == 0) {
          s = next(stored);
        }
      } else {
        if (!writes.rangeCleared(s.key())) {
          found.add(s);
        }
        s = next(stored);
      }
    }
  }

  private static <T> T next(Iterator<T> it) {
    return it.hasNext() ? it.next() : null;
  }

  @Override
  public void set(byte[] key, byte[] value) {
    checkWritable();
    checkKey(key);
    if (value.length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException(
          "value of " + value.length + " bytes exceeds the limit of " + MAX_VALUE_BYTES);
    }
    writes.set(key, value);
  }

  @Override
  public void add(byte[] key, long delta) {
    checkWritable();
    checkKey(key);
    writes.add(key, delta);
  }

  @Override
  public void clear(byte[] key) {
    checkWritable();
    checkKey(key);
    writes.clear(key);
  }

  @Override
  public void clearRange(byte[] begin, byte[] end) {
    checkWritable();
    writes.clearRange(begin, end);
  }

  @Override
  public void commit() {
    checkWritable();
    engine.commit(this, true);
    committed = true;
  }

  @Override
  public void commitLazily() {
    checkWritable();
    engine.commit(this, false);
    committed = true;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      view.close();
      engine.finished(readVersion);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("transaction is closed");
    }
  }

  private void checkWritable() {
    checkOpen();
    if (committed) {
      throw new IllegalStateException("transaction is already committed");
    }
  }

  private static void checkKey(byte[] key) {
    if (key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "key of " + key.length + " bytes exceeds the limit of " + MAX_KEY_BYTES);
    }
  }
}
