package io.catena.meta;

import io.catena.kv.Keys;
import java.nio.charset.StandardCharsets;

/**
 * The key layout of meta in the KvEngine (docs/meta.md). Every namespace key starts with {@code n}
 * and the tenant id, so a tenant's transactions can only ever name its own keys; integers are
 * big-endian so ranges sort numerically.
 */
final class MetaKeys {

  private static final byte NAMESPACE = 'n';
  private static final byte INODE = 'i';
  private static final byte DENTRY = 'd';
  private static final byte SESSION = 's';
  private static final byte USAGE = 'u';
  private static final byte TENANT = 't';
  private static final byte TENANT_NAME = 'T';
  private static final byte TOKEN = 'k';
  private static final byte GC = 'g';
  private static final byte COUNTER = 'c';
  private static final byte PURGE = 'P';

  private MetaKeys() {}

  private static byte[] ns(long tenant, byte kind) {
    return Keys.concat(new byte[] {NAMESPACE}, Keys.u64(tenant), new byte[] {kind});
  }

  static byte[] inode(long tenant, long inode) {
    return Keys.concat(ns(tenant, INODE), Keys.u64(inode));
  }

  static byte[] dentry(long tenant, long parent, String name) {
    return Keys.concat(dentryPrefix(tenant, parent), name.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] dentryPrefix(long tenant, long parent) {
    return Keys.concat(ns(tenant, DENTRY), Keys.u64(parent));
  }

  static String dentryName(byte[] key) {
    int offset = 1 + 8 + 1 + 8;
    return new String(key, offset, key.length - offset, StandardCharsets.UTF_8);
  }

  static byte[] session(long tenant, long inode, long session) {
    return Keys.concat(sessionPrefix(tenant, inode), Keys.u64(session));
  }

  static byte[] sessionPrefix(long tenant, long inode) {
    return Keys.concat(ns(tenant, SESSION), Keys.u64(inode));
  }

  /** Counter (8-byte little-endian, updated by KvTransaction.add) of a tenant's file bytes. */
  static byte[] usageBytes(long tenant) {
    return Keys.concat(ns(tenant, USAGE), new byte[] {'b'});
  }

  /** Counter of a tenant's inodes. */
  static byte[] usageInodes(long tenant) {
    return Keys.concat(ns(tenant, USAGE), new byte[] {'i'});
  }

  static byte[] tenant(long tenant) {
    return Keys.concat(new byte[] {TENANT}, Keys.u64(tenant));
  }

  static byte[] tenantPrefix() {
    return new byte[] {TENANT};
  }

  static byte[] tenantName(String name) {
    return Keys.concat(new byte[] {TENANT_NAME}, name.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] token(long tokenId) {
    return Keys.concat(new byte[] {TOKEN}, Keys.u64(tokenId));
  }

  static byte[] tokenPrefix() {
    return new byte[] {TOKEN};
  }

  /** Every key of one tenant's namespace (inodes, entries, sessions, usage). */
  static byte[] namespacePrefix(long tenant) {
    return Keys.concat(new byte[] {NAMESPACE}, Keys.u64(tenant));
  }

  static byte[] inodePrefix(long tenant) {
    return ns(tenant, INODE);
  }

  /** A deleted tenant whose contents are still being removed (docs/meta.md, tenant deletion). */
  static byte[] purge(long tenant) {
    return Keys.concat(purgePrefix(), Keys.u64(tenant));
  }

  static byte[] purgePrefix() {
    return new byte[] {PURGE};
  }

  static byte[] gc(long tenant, long inode) {
    return Keys.concat(gcPrefix(), Keys.u64(tenant), Keys.u64(inode));
  }

  static byte[] gcPrefix() {
    return new byte[] {GC};
  }

  static byte[] counter(String name) {
    return Keys.concat(new byte[] {COUNTER}, name.getBytes(StandardCharsets.UTF_8));
  }
}
