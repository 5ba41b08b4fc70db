package io.catena.mgmtd.store;

import io.catena.kv.Keys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * mgmtd's key layout in the KvEngine. Everything sits under {@code "mgmtd/"}; ids are big-endian so
 * ranges list in id order; values are the protobuf messages of {@code mgmtd.proto}.
 */
final class MgmtdKeys {
  static final byte[] ROOT = utf8("mgmtd/");
  static final byte[] LEASE = utf8("mgmtd/lease");
  static final byte[] ROUTING_VERSION = utf8("mgmtd/routing-version");
  static final byte[] CONFIG = utf8("mgmtd/config");
  static final byte[] NODE = utf8("mgmtd/node/");
  static final byte[] TARGET = utf8("mgmtd/target/");
  static final byte[] CHAIN = utf8("mgmtd/chain/");
  static final byte[] TABLE = utf8("mgmtd/table/");
  static final byte[] DAEMON = utf8("mgmtd/daemon/");
  static final byte[] ADMIN_OFFLINE = utf8("mgmtd/admin-offline/");

  private MgmtdKeys() {}

  static byte[] node(int id) {
    return Keys.concat(NODE, u32(id));
  }

  static byte[] target(long id) {
    return Keys.concat(TARGET, Keys.u64(id));
  }

  static byte[] chain(int id) {
    return Keys.concat(CHAIN, u32(id));
  }

  static byte[] table(int id, int version) {
    return Keys.concat(TABLE, u32(id), u32(version));
  }

  static byte[] daemon(String id) {
    return Keys.concat(DAEMON, utf8(id));
  }

  static byte[] adminOffline(long target) {
    return Keys.concat(ADMIN_OFFLINE, Keys.u64(target));
  }

  static long targetOfAdminOffline(byte[] key) {
    return Keys.readU64(key, ADMIN_OFFLINE.length);
  }

  private static byte[] u32(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
