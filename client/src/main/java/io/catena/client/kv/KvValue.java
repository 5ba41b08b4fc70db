package io.catena.client.kv;

import io.catena.protocol.kv.Location;
import io.catena.protocol.kv.Slab;

/**
 * A committed value found by {@link KvClient#locate}: its length, and where it lives under a read
 * lease (its slot is not reused before {@link #leaseExpiresAtMs()}); read it with {@link
 * KvClient#read}.
 */
public final class KvValue {

  private final byte[] key;
  final Slab slab;
  final Location location;
  private final long leaseExpiresAtMs;

  KvValue(byte[] key, Slab slab, Location location, long leaseExpiresAtMs) {
    this.key = key;
    this.slab = slab;
    this.location = location;
    this.leaseExpiresAtMs = leaseExpiresAtMs;
  }

  public byte[] key() {
    return key;
  }

  public int length() {
    return (int) location.getLength();
  }

  public long leaseExpiresAtMs() {
    return leaseExpiresAtMs;
  }
}
