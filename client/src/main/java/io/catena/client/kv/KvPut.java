package io.catena.client.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One value to put: its key, its bytes ({@code value}'s remaining bytes, not copied; leave the
 * buffer alone until the put returns), the previous key of its prefix chain (empty for a head: it
 * makes eviction take chain tails first) and a TTL in ms (0: the tenant's default).
 */
public record KvPut(byte[] key, ByteBuffer value, byte[] prevKey, long ttlMs) {

  public KvPut {
    if (prevKey == null) {
      prevKey = new byte[0];
    }
  }

  public static KvPut of(byte[] key, ByteBuffer value) {
    return new KvPut(key, value, new byte[0], 0);
  }

  public static KvPut of(String key, byte[] value) {
    return of(key.getBytes(StandardCharsets.UTF_8), ByteBuffer.wrap(value));
  }

  public KvPut after(byte[] previousKey) {
    return new KvPut(key, value, previousKey, ttlMs);
  }
}
