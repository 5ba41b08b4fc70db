package io.catena.bench.kv;

import io.catena.client.kv.KvClient;
import io.catena.client.kv.KvPutStatus;
import java.nio.ByteBuffer;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * A key/value store under benchmark: one operation at a time per {@link Connection}; one connection
 * per benchmark thread.
 */
sealed interface ObjectStore extends AutoCloseable {

  String name();

  Connection connect();

  /** Removes the keys a run wrote, so that the next value size starts empty. */
  void delete(List<byte[]> keys);

  @Override
  void close();

  interface Connection extends AutoCloseable {
    /** Stores {@code value} (its remaining bytes) under {@code key}; false when not stored. */
    boolean put(byte[] key, ByteBuffer value);

    /** Reads the value of {@code key} into {@code dst}: its length, -1 when absent. */
    int get(byte[] key, ByteBuffer dst);

    @Override
    void close();
  }

  /** Catena's native KV API: one shared, thread-safe client; values from direct buffers. */
  record Catena(KvClient kv) implements ObjectStore {
    @Override
    public String name() {
      return "catena";
    }

    @Override
    public Connection connect() {
      return new Connection() {
        @Override
        public boolean put(byte[] key, ByteBuffer value) {
          return kv.put(key, value) == KvPutStatus.STORED;
        }

        @Override
        public int get(byte[] key, ByteBuffer dst) {
          return kv.get(key, dst);
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void delete(List<byte[]> keys) {
      kv.deleteBatch(keys);
    }

    @Override
    public void close() {}
  }

  /**
   * Redis through Jedis: one TCP connection per thread (as a pool would hand out). Jedis takes and
   * returns byte arrays, so a put copies the value out of the buffer and a get copies the answer
   * into it; both copies are part of what a Java caller of Redis pays.
   */
  record Redis(String name, String host, int port) implements ObjectStore {
    private static final int TIMEOUT_MS = 120_000;

    @Override
    public Connection connect() {
      Jedis jedis = new Jedis(host, port, TIMEOUT_MS);
      return new Connection() {
        private byte[] scratch = new byte[0];

        @Override
        public boolean put(byte[] key, ByteBuffer value) {
          if (scratch.length != value.remaining()) {
            scratch = new byte[value.remaining()];
          }
          value.duplicate().get(scratch);
          return "OK".equals(jedis.set(key, scratch));
        }

        @Override
        public int get(byte[] key, ByteBuffer dst) {
          byte[] v = jedis.get(key);
          if (v == null) {
            return -1;
          }
          dst.put(v);
          return v.length;
        }

        @Override
        public void close() {
          jedis.close();
        }
      };
    }

    @Override
    public void delete(List<byte[]> keys) {
      try (Jedis jedis = new Jedis(host, port, TIMEOUT_MS)) {
        for (int i = 0; i < keys.size(); i += 512) {
          jedis.del(keys.subList(i, Math.min(keys.size(), i + 512)).toArray(byte[][]::new));
        }
      }
    }

    @Override
    public void close() {}
  }
}
