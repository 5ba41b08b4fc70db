package io.catena.kv.memory;

import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.occ.Cursor;
import io.catena.kv.occ.KeyRange;
import io.catena.kv.occ.StoreView;
import io.catena.kv.occ.VersionedStore;
import io.catena.kv.occ.WriteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A multi-version in-memory store: each key holds a chain of (version, value) newest first; a view
 * at version v sees, per key, the newest entry at or below v. Versions older than every open view
 * are pruned when a key is written again. Nothing is durable.
 */
final class MemoryStore implements VersionedStore {

  /** One version of a key; {@code value == null} records a deletion. */
  private record Version(long version, byte[] value, Version older) {}

  private final ConcurrentSkipListMap<byte[], Version> data =
      new ConcurrentSkipListMap<>(Keys.ORDER);
  private volatile long published;

  @Override
  public StoreView openView() {
    long at = published;
    return new StoreView() {
      @Override
      public long version() {
        return at;
      }

      @Override
      public byte[] get(byte[] key) {
        byte[] v = visible(data.get(key), at);
        return v == null ? null : v.clone();
      }

      @Override
      public Cursor scan(byte[] begin, byte[] end, boolean reverse) {
        ConcurrentNavigableMap<byte[], Version> sub = data.subMap(begin, true, end, false);
        Iterator<Map.Entry<byte[], Version>> it =
            (reverse ? sub.descendingMap() : sub).entrySet().iterator();
        return new Cursor() {
          private KeyValue next = advance();

          private KeyValue advance() {
            while (it.hasNext()) {
              Map.Entry<byte[], Version> e = it.next();
              byte[] v = visible(e.getValue(), at);
              if (v != null) {
                return new KeyValue(e.getKey().clone(), v.clone());
              }
            }
            return null;
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public KeyValue next() {
            if (next == null) {
              throw new NoSuchElementException();
            }
            KeyValue current = next;
            next = advance();
            return current;
          }

          @Override
          public void close() {}
        };
      }

      @Override
      public void close() {}
    };
  }

  private static byte[] visible(Version chain, long at) {
    for (Version v = chain; v != null; v = v.older()) {
      if (v.version() <= at) {
        return v.value();
      }
    }
    return null;
  }

  @Override
  public long apply(WriteBuffer writes, long oldestReadVersion) {
    long version = published + 1;
    for (KeyRange range : writes.clearedRanges()) {
      List<byte[]> keys = new ArrayList<>(data.subMap(range.begin(), range.end()).keySet());
      for (byte[] key : keys) {
        write(key, null, version, oldestReadVersion);
      }
    }
    for (Map.Entry<byte[], byte[]> op : writes.ops().entrySet()) {
      byte[] value = WriteBuffer.isTombstone(op.getValue()) ? null : op.getValue().clone();
      write(op.getKey().clone(), value, version, oldestReadVersion);
    }
    for (Map.Entry<byte[], Long> add : writes.adds().entrySet()) {
      long base = Keys.readLe64(visible(data.get(add.getKey()), published));
      write(add.getKey().clone(), Keys.le64(base + add.getValue()), version, oldestReadVersion);
    }
    published = version;
    return version;
  }

  private void write(byte[] key, byte[] value, long version, long oldestReadVersion) {
    Version head = new Version(version, value, prune(data.get(key), oldestReadVersion));
    if (value == null && head.older() == null) {
      data.remove(key);
    } else {
      data.put(key, head);
    }
  }

  /** Keeps the versions a view at {@code oldest} or later can still see; null if none is needed. */
  private static Version prune(Version chain, long oldest) {
    if (chain == null) {
      return null;
    }
    if (chain.version() <= oldest) {
      return chain.value() == null ? null : new Version(chain.version(), chain.value(), null);
    }
    return new Version(chain.version(), chain.value(), prune(chain.older(), oldest));
  }

  @Override
  public void awaitDurable(long version) {}

  @Override
  public void close() {
    data.clear();
  }
}
