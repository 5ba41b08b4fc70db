package io.catena.meta;

import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvEngine;
import io.catena.kv.KvException;
import io.catena.kv.KvTransaction;
import io.catena.kv.KvWork;
import io.catena.kv.RangeResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The KV index of every tenant over the KvEngine (docs/kv.md): key → slot of a slab file, two-phase
 * puts owned by writer sessions, read leases that keep a slot from reuse, prefix-aware LRU eviction
 * between watermarks of the tenant's capacity, and TTLs. Every call is one serializable transaction
 * (retried on conflict); the {@link #reap} pass reclaims what expired sessions reserved and what
 * outlived its TTL.
 */
public final class KvIndexStore {

  public static final int MAX_KEY_BYTES = 1024;
  public static final int MAX_BATCH = 1024;
  static final String SLAB_DIR = ".catena-kv";
  private static final byte[] EMPTY = new byte[0];

  /** Tunables; tests shrink them. */
  public record Config(
      Duration leaseTtl,
      Duration defaultSessionTtl,
      KvSlabGeometry geometry,
      int maxEvictionsPerCall) {
    public static final Config DEFAULT =
        new Config(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            new KvSlabGeometry(64L << 30, 256L << 20),
            4096);
  }

  /** What happened to one key of a batch. */
  public enum Outcome {
    OK,
    NOT_FOUND,
    EXISTS,
    BUSY,
    NO_SPACE,
    TOO_LARGE,
    NOT_RESERVED
  }

  public record Session(long id, long expiresAtMs) {}

  public record ReserveItem(byte[] key, long length, byte[] prevKey, long ttlMs) {}

  public record CommitItem(byte[] key, int crc32c) {}

  public record Location(long slab, long offset, long length, int crc32c) {}

  public record Slab(long inodeId, String path, long slotSize, FileLayout layout) {}

  public record Result(Outcome outcome, Location location) {
    static Result of(Outcome outcome) {
      return new Result(outcome, null);
    }
  }

  public record Placed(List<Result> results, Map<Long, Slab> slabs) {}

  public record Found(
      List<Result> results, Map<Long, Slab> slabs, long leaseId, long leaseUntilMs) {}

  /** A tenant's KV policy as set; zeros mean the defaults. */
  public record Policy(long capacityBytes, int highPct, int lowPct, long defaultTtlMs) {
    public static final Policy DEFAULTS = new Policy(0, 0, 0, 0);

    KvWatermarks watermarks(Tenant tenant) {
      long capacity = capacityBytes > 0 ? capacityBytes : tenant.quota().maxBytes();
      return new KvWatermarks(
          capacity,
          highPct == 0 ? KvWatermarks.DEFAULT_HIGH_PCT : highPct,
          lowPct != 0
              ? lowPct
              : Math.min(KvWatermarks.DEFAULT_LOW_PCT, highPct == 0 ? 100 : highPct));
    }
  }

  public record Stats(
      Policy policy,
      long effectiveCapacity,
      long entries,
      long valueBytes,
      long slotBytes,
      long slabBytes,
      long evictions,
      long expirations,
      long reclaimedReservations) {}

  public record Reaped(int sessions, int reservations, int expired) {}

  private static final char ENTRIES = 'n';
  private static final char VALUE_BYTES = 'v';
  private static final char SLOT_BYTES = 's';
  private static final char SLAB_BYTES = 'a';
  private static final char EVICTIONS = 'e';
  private static final char EXPIRATIONS = 'x';
  private static final char RECLAIMED = 'r';

  private final KvEngine kv;
  private final MetaStore files;
  private final InstantSource clock;
  private final Config config;

  public KvIndexStore(KvEngine kv, MetaStore files, InstantSource clock, Config config) {
    this.kv = kv;
    this.files = files;
    this.clock = clock;
    this.config = config;
  }

  public Config config() {
    return config;
  }

  private <T> T tx(KvWork<T> work) {
    return tx(work, false);
  }

  /**
   * {@code lazily}: commit without waiting for the log's fsync. Only for writes of soft state (read
   * leases and access times): losing them to a power cut only makes a reader re-locate after its
   * checksum check, or shifts the eviction order; waiting for the fsync doubled a get's latency.
   */
  private <T> T tx(KvWork<T> work, boolean lazily) {
    try {
      return lazily ? kv.runLazily(work) : kv.run(work);
    } catch (KvException e) {
      throw new MetaException(
          e.retryable() ? MetaErrorCode.BUSY : MetaErrorCode.INTERNAL,
          "metadata store: " + e.getMessage(),
          e);
    }
  }

  // ---- sessions ----------------------------------------------------------------------------

  public Session openSession(Principal who, long ttlMs) {
    long ttl = ttl(ttlMs);
    long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    return tx(
        tx -> {
          Tenant tenant = MetaStore.tenant(tx, who);
          long expires = clock.millis() + ttl;
          tx.set(KvKeys.session(tenant.id(), id), sessionValue(expires, ttl));
          tx.set(KvKeys.sessionTimer(expires, tenant.id(), id), EMPTY);
          return new Session(id, expires);
        });
  }

  public Session keepAlive(Principal who, long sessionId, long ttlMs) {
    return tx(
        tx -> {
          Tenant tenant = MetaStore.tenant(tx, who);
          long now = clock.millis();
          long[] session = liveSession(tx, tenant.id(), sessionId, now);
          long ttl = ttlMs > 0 ? ttl(ttlMs) : session[1];
          long expires = now + ttl;
          tx.clear(KvKeys.sessionTimer(session[0], tenant.id(), sessionId));
          tx.set(KvKeys.session(tenant.id(), sessionId), sessionValue(expires, ttl));
          tx.set(KvKeys.sessionTimer(expires, tenant.id(), sessionId), EMPTY);
          return new Session(sessionId, expires);
        });
  }

  /** Ends a session and frees its uncommitted reservations; answers how many. */
  public int closeSession(Principal who, long sessionId) {
    return tx(
        tx -> {
          Tenant tenant = MetaStore.tenant(tx, who);
          byte[] value = tx.get(KvKeys.session(tenant.id(), sessionId));
          if (value == null) {
            throw new MetaException(MetaErrorCode.NO_SESSION, "no KV session " + sessionId);
          }
          return endSession(tx, tenant.id(), sessionId, decodeLongs(value)[0]);
        });
  }

  private long ttl(long ttlMs) {
    if (ttlMs < 0 || ttlMs > Duration.ofHours(24).toMillis()) {
      throw MetaException.invalid("session TTL must be 0 (default) to 24 h in ms, got " + ttlMs);
    }
    return ttlMs == 0 ? config.defaultSessionTtl().toMillis() : ttlMs;
  }

  /** The session's (expiry, ttl); NO_SESSION when it is gone or expired. */
  private static long[] liveSession(KvTransaction tx, long tenant, long sessionId, long now) {
    byte[] value = tx.get(KvKeys.session(tenant, sessionId));
    long[] session = value == null ? null : decodeLongs(value);
    if (session == null || session[0] <= now) {
      throw new MetaException(
          MetaErrorCode.NO_SESSION,
          "KV session " + sessionId + " has expired or does not exist; open a new one");
    }
    return session;
  }

  private static boolean alive(KvTransaction tx, long tenant, long sessionId, long now) {
    byte[] value = tx.get(KvKeys.session(tenant, sessionId));
    return value != null && decodeLongs(value)[0] > now;
  }

  private int endSession(KvTransaction tx, long tenant, long sessionId, long expiresAt) {
    int released = 0;
    byte[] begin = KvKeys.reservations(tenant, sessionId);
    byte[] end = Keys.prefixEnd(begin);
    while (true) {
      RangeResult page = tx.getRange(begin, end, 1000);
      for (KeyValue row : page.entries()) {
        byte[] key = KvKeys.reservationKey(row.key());
        KvEntry e = entry(tx, tenant, key);
        if (e != null && !e.committed() && e.session() == sessionId) {
          releaseReservation(tx, tenant, key, e);
          released++;
        } else {
          tx.clear(row.key());
        }
      }
      if (!page.more()) {
        break;
      }
    }
    tx.clear(KvKeys.session(tenant, sessionId));
    tx.clear(KvKeys.sessionTimer(expiresAt, tenant, sessionId));
    return released;
  }

  // ---- two-phase put -----------------------------------------------------------------------

  public Placed reserve(Principal who, long sessionId, List<ReserveItem> items, boolean overwrite) {
    checkBatch(items.size());
    for (ReserveItem item : items) {
      checkKey(item.key());
      if (item.prevKey().length > MAX_KEY_BYTES) {
        throw MetaException.invalid("a previous key is longer than " + MAX_KEY_BYTES + " bytes");
      }
      if (item.length() < 1) {
        throw MetaException.invalid("a value needs at least one byte, got " + item.length());
      }
      if (item.ttlMs() < 0) {
        throw MetaException.invalid("TTL cannot be negative");
      }
    }
    return tx(
        tx -> {
          Tenant tenant = MetaStore.tenant(tx, who);
          long t = tenant.id();
          long now = clock.millis();
          liveSession(tx, t, sessionId, now);
          Policy policy = policy(tx, t);
          KvWatermarks marks = policy.watermarks(tenant);
          long slotBytes = Keys.readLe64(tx.get(KvKeys.counter(t, SLOT_BYTES)));
          List<Result> results = new ArrayList<>(items.size());
          Map<Long, Slab> slabs = new LinkedHashMap<>();
          for (ReserveItem item : items) {
            if (item.length() > KvSizeClasses.MAX_VALUE) {
              results.add(Result.of(Outcome.TOO_LARGE));
              continue;
            }
            KvEntry existing = entry(tx, t, item.key());
            if (existing != null) {
              if (existing.committed()) {
                if (existing.visible(now) && !overwrite) {
                  results.add(Result.of(Outcome.EXISTS));
                  continue;
                }
                removeCommitted(tx, t, item.key(), existing, now);
              } else if (existing.session() != sessionId && alive(tx, t, existing.session(), now)) {
                results.add(Result.of(Outcome.BUSY));
                continue;
              } else {
                releaseReservation(tx, t, item.key(), existing);
              }
              slotBytes -= existing.slotSize();
            }
            long slotSize = KvSizeClasses.slotSize(item.length());
            // linked first, so that making room never evicts the prefix this key extends
            boolean linked = link(tx, t, item.key(), item.prevKey(), now);
            long toFree = marks.bytesToFree(slotBytes, slotSize);
            if (toFree > 0) {
              slotBytes -= evict(tx, t, toFree, now);
            }
            long[] slot = null;
            if (marks.fits(slotBytes, slotSize)) {
              try {
                slot = allocate(tx, tenant, slotSize, marks.capacity(), now);
              } catch (MetaException e) {
                if (e.code() != MetaErrorCode.QUOTA_EXCEEDED) {
                  throw e;
                }
              }
            }
            if (slot == null) {
              if (linked) {
                unlink(tx, t, item.prevKey());
              }
              results.add(Result.of(Outcome.NO_SPACE));
              continue;
            }
            long ttl = item.ttlMs() > 0 ? item.ttlMs() : policy.defaultTtlMs();
            KvEntry reserved =
                new KvEntry(
                    false,
                    slot[0],
                    slot[1],
                    slotSize,
                    item.length(),
                    0,
                    sessionId,
                    now,
                    0,
                    ttl > 0 ? now + ttl : 0,
                    item.prevKey(),
                    linked);
            tx.set(KvKeys.entry(t, item.key()), reserved.encode());
            tx.set(KvKeys.reservation(t, sessionId, item.key()), EMPTY);
            tx.add(KvKeys.counter(t, SLOT_BYTES), slotSize);
            slotBytes += slotSize;
            results.add(new Result(Outcome.OK, location(reserved)));
            slabs.computeIfAbsent(slot[0], id -> slab(tx, t, id));
          }
          return new Placed(results, slabs);
        });
  }

  public List<Outcome> commit(Principal who, long sessionId, List<CommitItem> items) {
    checkBatch(items.size());
    items.forEach(i -> checkKey(i.key()));
    return tx(
        tx -> {
          Tenant tenant = MetaStore.tenant(tx, who);
          long t = tenant.id();
          long now = clock.millis();
          liveSession(tx, t, sessionId, now);
          List<Outcome> out = new ArrayList<>(items.size());
          for (CommitItem item : items) {
            byte[] key = item.key();
            KvEntry e = entry(tx, t, key);
            if (e == null || e.committed() || e.session() != sessionId) {
              out.add(Outcome.NOT_RESERVED);
              continue;
            }
            KvEntry done = e.committedAs(item.crc32c(), now, e.expiresAtMs(), e.linked());
            tx.set(KvKeys.entry(t, key), done.encode());
            tx.clear(KvKeys.reservation(t, sessionId, key));
            if (childCount(tx, t, key) == 0) {
              tx.set(KvKeys.lru(t, now, key), EMPTY);
            }
            if (done.expiresAtMs() > 0) {
              tx.set(KvKeys.ttlTimer(done.expiresAtMs(), t, key), EMPTY);
            }
            tx.add(KvKeys.counter(t, ENTRIES), 1);
            tx.add(KvKeys.counter(t, VALUE_BYTES), done.length());
            out.add(Outcome.OK);
          }
          return out;
        });
  }

  public List<Outcome> abort(Principal who, long sessionId, List<byte[]> keys) {
    checkBatch(keys.size());
    keys.forEach(KvIndexStore::checkKey);
    return tx(
        tx -> {
          long t = MetaStore.tenant(tx, who).id();
          List<Outcome> out = new ArrayList<>(keys.size());
          for (byte[] key : keys) {
            KvEntry e = entry(tx, t, key);
            if (e == null || e.committed() || e.session() != sessionId) {
              out.add(Outcome.NOT_RESERVED);
            } else {
              releaseReservation(tx, t, key, e);
              out.add(Outcome.OK);
            }
          }
          return out;
        });
  }

  // ---- reads -------------------------------------------------------------------------------

  /**
   * Where committed keys live, each under a read lease until {@link Found#leaseUntilMs()}: their
   * slots are not handed to another key before then, even if the key is evicted or deleted
   * meanwhile. A lookup also counts as an access for LRU. With {@code prefixOnly} the answer stops
   * at the first key not found.
   */
  public Found lookup(Principal who, List<byte[]> keys, boolean prefixOnly) {
    checkBatch(keys.size());
    keys.forEach(KvIndexStore::checkKey);
    long leaseId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    return tx(
        tx -> {
          long t = MetaStore.tenant(tx, who).id();
          long now = clock.millis();
          long leaseUntil = now + config.leaseTtl().toMillis();
          List<Result> results = new ArrayList<>(keys.size());
          Map<Long, Slab> slabs = new LinkedHashMap<>();
          for (byte[] key : keys) {
            KvEntry e = entry(tx, t, key);
            if (e == null || !e.visible(now)) {
              if (prefixOnly) {
                break;
              }
              results.add(Result.of(Outcome.NOT_FOUND));
              continue;
            }
            KvEntry touched = e.touched(now, leaseUntil);
            tx.set(KvKeys.entry(t, key), touched.encode());
            byte[] oldRow = KvKeys.lru(t, e.lastAccessMs(), key);
            if (e.lastAccessMs() != now && tx.get(oldRow) != null) {
              tx.clear(oldRow);
              tx.set(KvKeys.lru(t, now, key), EMPTY);
            }
            results.add(new Result(Outcome.OK, location(touched)));
            slabs.computeIfAbsent(e.slab(), id -> slab(tx, t, id));
          }
          return new Found(results, slabs, leaseId, leaseUntil);
        },
        true);
  }

  /** How many leading keys exist (committed, not expired): HiCache's batch_exists. */
  public int exists(Principal who, List<byte[]> keys) {
    checkBatch(keys.size());
    keys.forEach(KvIndexStore::checkKey);
    return tx(
        tx -> {
          long t = MetaStore.tenant(tx, who).id();
          long now = clock.millis();
          int n = 0;
          for (byte[] key : keys) {
            KvEntry e = entry(tx, t, key);
            if (e == null || !e.visible(now)) {
              break;
            }
            n++;
          }
          return n;
        });
  }

  public List<Outcome> delete(Principal who, List<byte[]> keys) {
    checkBatch(keys.size());
    keys.forEach(KvIndexStore::checkKey);
    return tx(
        tx -> {
          long t = MetaStore.tenant(tx, who).id();
          long now = clock.millis();
          List<Outcome> out = new ArrayList<>(keys.size());
          for (byte[] key : keys) {
            KvEntry e = entry(tx, t, key);
            if (e == null || !e.committed()) {
              out.add(Outcome.NOT_FOUND);
              continue;
            }
            removeCommitted(tx, t, key, e, now);
            out.add(e.expired(now) ? Outcome.NOT_FOUND : Outcome.OK);
          }
          return out;
        });
  }

  // ---- policy and stats --------------------------------------------------------------------

  public Stats setPolicy(Principal who, Policy policy) {
    if (who.uid() != 0 && !who.admin()) {
      throw new MetaException(
          MetaErrorCode.PERMISSION_DENIED, "only the tenant's root (uid 0) sets its KV policy");
    }
    if (policy.capacityBytes() < 0 || policy.defaultTtlMs() < 0) {
      throw MetaException.invalid("capacity and TTL cannot be negative");
    }
    try {
      policy.watermarks(new Tenant(0, "", Quota.UNLIMITED, List.of(), 1, 0));
    } catch (IllegalArgumentException e) {
      throw MetaException.invalid(e.getMessage());
    }
    return tx(
        tx -> {
          Tenant tenant = MetaStore.tenant(tx, who);
          tx.set(
              KvKeys.policy(tenant.id()),
              longs(
                  policy.capacityBytes(),
                  policy.highPct(),
                  policy.lowPct(),
                  policy.defaultTtlMs()));
          return stats(tx, tenant, policy);
        });
  }

  public Stats stats(Principal who) {
    return tx(
        tx -> {
          Tenant tenant = MetaStore.tenant(tx, who);
          return stats(tx, tenant, policy(tx, tenant.id()));
        });
  }

  private static Stats stats(KvTransaction tx, Tenant tenant, Policy policy) {
    long t = tenant.id();
    var r = tx.snapshot();
    return new Stats(
        policy,
        policy.watermarks(tenant).capacity(),
        Keys.readLe64(r.get(KvKeys.counter(t, ENTRIES))),
        Keys.readLe64(r.get(KvKeys.counter(t, VALUE_BYTES))),
        Keys.readLe64(r.get(KvKeys.counter(t, SLOT_BYTES))),
        Keys.readLe64(r.get(KvKeys.counter(t, SLAB_BYTES))),
        Keys.readLe64(r.get(KvKeys.counter(t, EVICTIONS))),
        Keys.readLe64(r.get(KvKeys.counter(t, EXPIRATIONS))),
        Keys.readLe64(r.get(KvKeys.counter(t, RECLAIMED))));
  }

  private static Policy policy(KvTransaction tx, long tenant) {
    byte[] value = tx.get(KvKeys.policy(tenant));
    if (value == null) {
      return Policy.DEFAULTS;
    }
    long[] v = decodeLongs(value);
    return new Policy(v[0], (int) v[1], (int) v[2], v[3]);
  }

  // ---- reaper ------------------------------------------------------------------------------

  /**
   * One pass over what is due: sessions past their expiry lose their reservations, keys past their
   * TTL are removed. Works in transactions of a bounded size until nothing due is left.
   */
  public Reaped reap() {
    int sessions = 0;
    int reservations = 0;
    int expired = 0;
    while (true) {
      long now = clock.millis();
      int[] done =
          tx(
              tx -> {
                int s = 0;
                int r = 0;
                RangeResult due =
                    tx.getRange(
                        KvKeys.timers(KvKeys.SESSION_TIMER),
                        KvKeys.timersDue(KvKeys.SESSION_TIMER, now),
                        64);
                for (KeyValue row : due.entries()) {
                  long t = KvKeys.timerTenant(row.key());
                  long id = Keys.readU64(KvKeys.timerRest(row.key()), 0);
                  byte[] value = tx.get(KvKeys.session(t, id));
                  if (value != null && decodeLongs(value)[0] <= now) {
                    int released = endSession(tx, t, id, decodeLongs(value)[0]);
                    tx.add(KvKeys.counter(t, RECLAIMED), released);
                    r += released;
                    s++;
                  }
                  tx.clear(row.key());
                }
                return new int[] {s, r, due.more() ? 1 : 0};
              });
      sessions += done[0];
      reservations += done[1];
      int[] ttl =
          tx(
              tx -> {
                int x = 0;
                RangeResult due =
                    tx.getRange(
                        KvKeys.timers(KvKeys.TTL_TIMER),
                        KvKeys.timersDue(KvKeys.TTL_TIMER, now),
                        256);
                for (KeyValue row : due.entries()) {
                  long t = KvKeys.timerTenant(row.key());
                  byte[] key = KvKeys.timerRest(row.key());
                  KvEntry e = entry(tx, t, key);
                  if (e != null
                      && e.committed()
                      && e.expiresAtMs() == KvKeys.timerTime(row.key())) {
                    removeCommitted(tx, t, key, e, now);
                    tx.add(KvKeys.counter(t, EXPIRATIONS), 1);
                    x++;
                  }
                  tx.clear(row.key());
                }
                return new int[] {x, due.more() ? 1 : 0};
              });
      expired += ttl[0];
      if (done[2] == 0 && ttl[1] == 0) {
        return new Reaped(sessions, reservations, expired);
      }
    }
  }

  // ---- inside a transaction ----------------------------------------------------------------

  private static KvEntry entry(KvTransaction tx, long tenant, byte[] key) {
    byte[] value = tx.get(KvKeys.entry(tenant, key));
    return value == null ? null : KvEntry.decode(value);
  }

  private static long childCount(KvTransaction tx, long tenant, byte[] key) {
    return Keys.readLe64(tx.get(KvKeys.children(tenant, key)));
  }

  /**
   * Counts {@code key} as a child of {@code prev} when that is a visible or reserved key (a batch
   * reserves a chain at once) and {@code key} has no children of its own (a key that heads others
   * keeps no parent link, so links never form a cycle). A parent with children leaves the eviction
   * queue: tails go before heads.
   */
  private static boolean link(KvTransaction tx, long t, byte[] key, byte[] prev, long now) {
    if (prev.length == 0 || Arrays.equals(prev, key) || childCount(tx, t, key) > 0) {
      return false;
    }
    KvEntry parent = entry(tx, t, prev);
    if (parent == null || (parent.committed() && parent.expired(now))) {
      return false;
    }
    long children = childCount(tx, t, prev);
    if (children == 0) {
      tx.clear(KvKeys.lru(t, parent.lastAccessMs(), prev));
    }
    tx.set(KvKeys.children(t, prev), Keys.le64(children + 1));
    return true;
  }

  private static void unlink(KvTransaction tx, long t, byte[] prev) {
    long children = childCount(tx, t, prev) - 1;
    if (children > 0) {
      tx.set(KvKeys.children(t, prev), Keys.le64(children));
      return;
    }
    tx.clear(KvKeys.children(t, prev));
    KvEntry parent = entry(tx, t, prev);
    if (parent != null && parent.committed()) {
      tx.set(KvKeys.lru(t, parent.lastAccessMs(), prev), EMPTY);
    }
  }

  private static void removeCommitted(KvTransaction tx, long t, byte[] key, KvEntry e, long now) {
    tx.clear(KvKeys.entry(t, key));
    tx.clear(KvKeys.lru(t, e.lastAccessMs(), key));
    if (e.expiresAtMs() > 0) {
      tx.clear(KvKeys.ttlTimer(e.expiresAtMs(), t, key));
    }
    if (e.linked()) {
      unlink(tx, t, e.prevKey());
    }
    tx.set(
        KvKeys.free(t, e.slotSize(), Math.max(now, e.leaseUntilMs()), e.slab(), e.slot()), EMPTY);
    tx.add(KvKeys.counter(t, ENTRIES), -1);
    tx.add(KvKeys.counter(t, VALUE_BYTES), -e.length());
    tx.add(KvKeys.counter(t, SLOT_BYTES), -e.slotSize());
  }

  private static void releaseReservation(KvTransaction tx, long t, byte[] key, KvEntry e) {
    tx.clear(KvKeys.entry(t, key));
    if (e.linked()) {
      unlink(tx, t, e.prevKey());
    }
    tx.clear(KvKeys.reservation(t, e.session(), key));
    tx.set(KvKeys.free(t, e.slotSize(), 0, e.slab(), e.slot()), EMPTY);
    tx.add(KvKeys.counter(t, SLOT_BYTES), -e.slotSize());
  }

  /**
   * Evicts committed leaves, least recently used first, until {@code bytes} slot bytes are free.
   */
  private long evict(KvTransaction tx, long t, long bytes, long now) {
    byte[] begin = KvKeys.prefix(t, KvKeys.LRU);
    byte[] end = Keys.prefixEnd(begin);
    long freed = 0;
    for (int n = 0; freed < bytes && n < config.maxEvictionsPerCall(); n++) {
      RangeResult first = tx.getRange(begin, end, 1);
      if (first.entries().isEmpty()) {
        break;
      }
      byte[] row = first.entries().getFirst().key();
      byte[] key = KvKeys.lruKey(row);
      KvEntry e = entry(tx, t, key);
      if (e == null || !e.committed()) {
        tx.clear(row);
        continue;
      }
      removeCommitted(tx, t, key, e, now);
      tx.add(KvKeys.counter(t, EVICTIONS), 1);
      freed += e.slotSize();
    }
    return freed;
  }

  /**
   * A slot of {@code slotSize}: the free one that became reusable first (never one still under a
   * read lease), else the next slot of the class's current slab file, growing it by an extent or
   * starting a new slab file when it is full. Returns (slab inode, slot index).
   */
  private long[] allocate(KvTransaction tx, Tenant tenant, long slotSize, long capacity, long now) {
    long t = tenant.id();
    byte[] freeBegin = KvKeys.freeClass(t, slotSize);
    RangeResult free = tx.getRange(freeBegin, Keys.concat(freeBegin, Keys.u64(now + 1)), 1);
    if (!free.entries().isEmpty()) {
      byte[] row = free.entries().getFirst().key();
      tx.clear(row);
      long[] f = KvKeys.freeSlot(row);
      return new long[] {f[1], f[2]};
    }
    byte[] bumpKey = KvKeys.bump(t, slotSize);
    byte[] value = tx.get(bumpKey);
    long[] bump = value == null ? null : decodeLongs(value); // slab, seq, next, allocated
    KvSlabGeometry geometry = config.geometry();
    if (bump == null || bump[2] >= geometry.slotsPerSlab(slotSize)) {
      long seq = bump == null ? 0 : bump[1] + 1;
      String name = "s" + slotSize + "-" + seq;
      Inode file = files.createInternalFile(tx, tenant, SLAB_DIR, name);
      tx.set(KvKeys.slab(t, file.id()), slabValue(slotSize, "/" + SLAB_DIR + "/" + name));
      bump = new long[] {file.id(), seq, 0, file.length() / slotSize};
    }
    if (bump[2] >= bump[3]) {
      long grown = geometry.grownSlots(slotSize, bump[3], capacity);
      files.setLengthInternal(tx, tenant, bump[0], grown * slotSize);
      tx.add(KvKeys.counter(t, SLAB_BYTES), (grown - bump[3]) * slotSize);
      bump[3] = grown;
    }
    long slot = bump[2]++;
    tx.set(bumpKey, longs(bump));
    return new long[] {bump[0], slot};
  }

  private static Location location(KvEntry e) {
    return new Location(e.slab(), e.offset(), e.length(), e.crc32c());
  }

  private static Slab slab(KvTransaction tx, long t, long inodeId) {
    byte[] value = tx.get(KvKeys.slab(t, inodeId));
    Inode inode = MetaStore.load(tx, t, inodeId);
    if (value == null || inode == null) {
      throw new MetaException(MetaErrorCode.INTERNAL, "slab file " + inodeId + " is missing");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      long slotSize = in.readLong();
      String path = in.readUTF();
      return new Slab(inodeId, path, slotSize, inode.layout());
    } catch (IOException e) {
      throw new MetaException(MetaErrorCode.INTERNAL, "corrupt slab record: " + e, e);
    }
  }

  private static byte[] slabValue(long slotSize, String path) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(slotSize);
      out.writeUTF(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] sessionValue(long expiresAt, long ttl) {
    return longs(expiresAt, ttl);
  }

  private static byte[] longs(long... values) {
    byte[] out = new byte[values.length * 8];
    for (int i = 0; i < values.length; i++) {
      System.arraycopy(Keys.u64(values[i]), 0, out, i * 8, 8);
    }
    return out;
  }

  private static long[] decodeLongs(byte[] value) {
    long[] out = new long[value.length / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = Keys.readU64(value, i * 8);
    }
    return out;
  }

  private static void checkBatch(int size) {
    if (size > MAX_BATCH) {
      throw MetaException.invalid("a batch holds at most " + MAX_BATCH + " keys, got " + size);
    }
  }

  private static void checkKey(byte[] key) {
    if (key.length == 0 || key.length > MAX_KEY_BYTES) {
      throw MetaException.invalid(
          "a key must be 1 to " + MAX_KEY_BYTES + " bytes, got " + key.length);
    }
  }
}
