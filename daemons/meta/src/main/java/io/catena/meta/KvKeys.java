package io.catena.meta;

import io.catena.kv.Keys;

/**
 * The KV index's keys in the KvEngine (docs/kv.md). A tenant's rows start with {@code v} and its
 * id; the reaper's time-ordered rows of every tenant start with {@code w}. Integers big-endian.
 */
final class KvKeys {

  private static final byte TENANT = 'v';
  private static final byte TIMERS = 'w';

  static final byte ENTRY = 'e';
  static final byte LRU = 'l';
  static final byte CHILDREN = 'c';
  static final byte RESERVATION = 'r';
  static final byte FREE = 'f';
  static final byte BUMP = 'b';
  static final byte SLAB = 'B';
  static final byte SESSION = 'S';
  static final byte POLICY = 'p';
  static final byte COUNTER = 'u';

  static final byte SESSION_TIMER = 's';
  static final byte TTL_TIMER = 'x';

  private KvKeys() {}

  static byte[] prefix(long tenant, byte kind) {
    return Keys.concat(new byte[] {TENANT}, Keys.u64(tenant), new byte[] {kind});
  }

  static byte[] entry(long tenant, byte[] key) {
    return Keys.concat(prefix(tenant, ENTRY), key);
  }

  /** A committed leaf, ordered by last access: the eviction queue. */
  static byte[] lru(long tenant, long lastAccessMs, byte[] key) {
    return Keys.concat(prefix(tenant, LRU), Keys.u64(lastAccessMs), key);
  }

  static byte[] lruKey(byte[] row) {
    int offset = 1 + 8 + 1 + 8;
    return java.util.Arrays.copyOfRange(row, offset, row.length);
  }

  /** Counter: how many committed entries name this key as their previous key. */
  static byte[] children(long tenant, byte[] key) {
    return Keys.concat(prefix(tenant, CHILDREN), key);
  }

  static byte[] reservation(long tenant, long session, byte[] key) {
    return Keys.concat(reservations(tenant, session), key);
  }

  static byte[] reservations(long tenant, long session) {
    return Keys.concat(prefix(tenant, RESERVATION), Keys.u64(session));
  }

  static byte[] reservationKey(byte[] row) {
    int offset = 1 + 8 + 1 + 8;
    return java.util.Arrays.copyOfRange(row, offset, row.length);
  }

  /** A free slot of one size, ordered by when it may be reused (after the last read lease). */
  static byte[] free(long tenant, long slotSize, long reusableAtMs, long slab, long slot) {
    return Keys.concat(
        freeClass(tenant, slotSize), Keys.u64(reusableAtMs), Keys.u64(slab), Keys.u64(slot));
  }

  static byte[] freeClass(long tenant, long slotSize) {
    return Keys.concat(prefix(tenant, FREE), Keys.u64(slotSize));
  }

  static long[] freeSlot(byte[] row) {
    int offset = 1 + 8 + 1 + 8;
    return new long[] {
      Keys.readU64(row, offset), Keys.readU64(row, offset + 8), Keys.readU64(row, offset + 16)
    };
  }

  static byte[] bump(long tenant, long slotSize) {
    return Keys.concat(prefix(tenant, BUMP), Keys.u64(slotSize));
  }

  static byte[] slab(long tenant, long slabInode) {
    return Keys.concat(prefix(tenant, SLAB), Keys.u64(slabInode));
  }

  static byte[] session(long tenant, long session) {
    return Keys.concat(prefix(tenant, SESSION), Keys.u64(session));
  }

  static byte[] policy(long tenant) {
    return prefix(tenant, POLICY);
  }

  static byte[] counter(long tenant, char name) {
    return Keys.concat(prefix(tenant, COUNTER), new byte[] {(byte) name});
  }

  static byte[] sessionTimer(long expiresAtMs, long tenant, long session) {
    return Keys.concat(
        timers(SESSION_TIMER), Keys.u64(expiresAtMs), Keys.u64(tenant), Keys.u64(session));
  }

  static byte[] ttlTimer(long expiresAtMs, long tenant, byte[] key) {
    return Keys.concat(timers(TTL_TIMER), Keys.u64(expiresAtMs), Keys.u64(tenant), key);
  }

  static byte[] timers(byte kind) {
    return new byte[] {TIMERS, kind};
  }

  /** The end (exclusive) of timer rows due at or before {@code nowMs}. */
  static byte[] timersDue(byte kind, long nowMs) {
    return Keys.concat(timers(kind), Keys.u64(nowMs + 1));
  }

  static long timerTime(byte[] row) {
    return Keys.readU64(row, 2);
  }

  static long timerTenant(byte[] row) {
    return Keys.readU64(row, 10);
  }

  static byte[] timerRest(byte[] row) {
    return java.util.Arrays.copyOfRange(row, 18, row.length);
  }
}
