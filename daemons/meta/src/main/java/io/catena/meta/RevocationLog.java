package io.catena.meta;

import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvReader;
import io.catena.kv.KvTransaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The revocation log in the KvEngine: {@code R seq(8) -> token id(8)}, one row per token that was
 * revoked, rotated or given an expiry, written in the transaction that changed the token. The
 * sequence is read and advanced in that same transaction, so rows commit in sequence order and a
 * reader that saw sequence s has seen every row up to s. Every meta server tails it ({@link
 * RevocationFeed}) and pushes it to storage daemons (docs/security-tenants.md).
 */
final class RevocationLog {

  private static final byte LOG = 'R';
  private static final byte[] HEAD = MetaKeys.counter("revocation");

  record Entry(long seq, long tokenId) {}

  private RevocationLog() {}

  /** Appends a row for {@code tokenId} in {@code tx}; returns its sequence. */
  static long append(KvTransaction tx, long tokenId) {
    byte[] stored = tx.get(HEAD);
    long seq = (stored == null ? 0 : Keys.readU64(stored, 0)) + 1;
    tx.set(HEAD, Keys.u64(seq));
    tx.set(key(seq), Keys.u64(tokenId));
    return seq;
  }

  /** The sequence of the last row (0 when there is none). */
  static long head(KvReader tx) {
    byte[] stored = tx.get(HEAD);
    return stored == null ? 0 : Keys.readU64(stored, 0);
  }

  /** At most {@code limit} rows after sequence {@code seq}, in order. */
  static List<Entry> after(KvReader tx, long seq, int limit) {
    byte[] prefix = {LOG};
    List<Entry> out = new ArrayList<>();
    for (KeyValue row : tx.getRange(key(seq + 1), Keys.prefixEnd(prefix), limit).entries()) {
      out.add(new Entry(Keys.readU64(row.key(), 1), Keys.readU64(row.value(), 0)));
    }
    return out;
  }

  private static byte[] key(long seq) {
    return Keys.concat(new byte[] {LOG}, Keys.u64(seq));
  }
}
