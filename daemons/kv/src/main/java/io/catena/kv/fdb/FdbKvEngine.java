package io.catena.kv.fdb;

import com.apple.foundationdb.Database;
import com.apple.foundationdb.FDB;
import com.apple.foundationdb.FDBException;
import com.apple.foundationdb.MutationType;
import com.apple.foundationdb.ReadTransaction;
import com.apple.foundationdb.Transaction;
import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvConflictException;
import io.catena.kv.KvEngine;
import io.catena.kv.KvException;
import io.catena.kv.KvReader;
import io.catena.kv.KvTransaction;
import io.catena.kv.RangeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The FoundationDB backend over fdb-java: FoundationDB provides the serializable transactions,
 * conflict ranges and snapshot reads itself; this class maps its API and errors onto {@link
 * KvEngine}. The API version is pinned to {@link #API_VERSION}. The class is loaded only when an
 * {@code fdb:} URI is opened, so a machine without libfdb_c can still use the other backends.
 */
public final class FdbKvEngine implements KvEngine {

  /** FoundationDB 7.3's API version. */
  public static final int API_VERSION = 730;

  /** FoundationDB's error code for a commit refused by conflict detection. */
  private static final int NOT_COMMITTED = 1020;

  private final String uri;
  private final Database db;

  private FdbKvEngine(String uri, Database db) {
    this.uri = uri;
    this.db = db;
  }

  /**
   * Opens the cluster named by {@code clusterFile}, or FoundationDB's default cluster file when
   * null.
   */
  public static KvEngine open(String clusterFile) {
    String uri = "fdb:" + (clusterFile == null ? "" : clusterFile);
    FDB fdb;
    try {
      fdb = FDB.isAPIVersionSelected() ? FDB.instance() : FDB.selectAPIVersion(API_VERSION);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new KvException(
          "FoundationDB client library not found (libfdb_c): install the foundationdb-clients"
              + " package of version 7.3 to use "
              + uri,
          false,
          e);
    } catch (FDBException e) {
      throw new KvException(
          "FoundationDB API version " + API_VERSION + ": " + e.getMessage(), false, e);
    }
    try {
      return new FdbKvEngine(uri, clusterFile == null ? fdb.open() : fdb.open(clusterFile));
    } catch (FDBException e) {
      throw new KvException("cannot open FoundationDB " + uri + ": " + e.getMessage(), false, e);
    }
  }

  @Override
  public KvTransaction begin() {
    return new FdbTransaction(db.createTransaction());
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public void close() {
    db.close();
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw translate(e.getCause() == null ? e : e.getCause());
    }
  }

  static RuntimeException translate(Throwable t) {
    if (t instanceof FDBException e) {
      if (e.getCode() == NOT_COMMITTED) {
        return new KvConflictException("conflict: " + e.getMessage());
      }
      return new KvException(
          "FoundationDB error " + e.getCode() + ": " + e.getMessage(), e.isRetryable(), e);
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    return new KvException(t.toString(), false, t);
  }

  private static RangeResult range(
      ReadTransaction reader, byte[] begin, byte[] end, int limit, boolean reverse) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    if (Keys.compare(begin, end) >= 0) {
      return new RangeResult(List.of(), false);
    }
    List<com.apple.foundationdb.KeyValue> rows =
        await(reader.getRange(begin, end, limit + 1, reverse).asList());
    List<KeyValue> page = new ArrayList<>(Math.min(rows.size(), limit));
    for (int i = 0; i < rows.size() && i < limit; i++) {
      page.add(new KeyValue(rows.get(i).getKey(), rows.get(i).getValue()));
    }
    return new RangeResult(page, rows.size() > limit);
  }

  private static final class FdbTransaction implements KvTransaction {
    private final Transaction tr;

    FdbTransaction(Transaction tr) {
      this.tr = tr;
    }

    @Override
    public byte[] get(byte[] key) {
      return await(tr.get(key));
    }

    @Override
    public RangeResult getRange(byte[] begin, byte[] end, int limit, boolean reverse) {
      return range(tr, begin, end, limit, reverse);
    }

    @Override
    public void set(byte[] key, byte[] value) {
      tr.set(key, value);
    }

    @Override
    public void add(byte[] key, long delta) {
      tr.mutate(MutationType.ADD, key, Keys.le64(delta));
    }

    @Override
    public void clear(byte[] key) {
      tr.clear(key);
    }

    @Override
    public void clearRange(byte[] begin, byte[] end) {
      if (Keys.compare(begin, end) < 0) {
        tr.clear(begin, end);
      }
    }

    @Override
    public KvReader snapshot() {
      ReadTransaction snapshot = tr.snapshot();
      return new KvReader() {
        @Override
        public byte[] get(byte[] key) {
          return await(snapshot.get(key));
        }

        @Override
        public RangeResult getRange(byte[] begin, byte[] end, int limit, boolean reverse) {
          return range(snapshot, begin, end, limit, reverse);
        }
      };
    }

    @Override
    public long readVersion() {
      return await(tr.getReadVersion());
    }

    @Override
    public void commit() {
      await(tr.commit());
    }

    @Override
    public void close() {
      tr.close();
    }
  }
}
