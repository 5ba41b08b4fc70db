package io.catena.meta;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One key of the KV index: where its value lives (slab file, slot, slot size, length, crc32c), its
 * state (reserved by a writer session, or committed and visible), its times (last access, the end
 * of the latest read lease, TTL expiry; ms, 0 = none) and the previous key of its prefix chain,
 * with whether that link is counted at the parent.
 */
record KvEntry(
    boolean committed,
    long slab,
    long slot,
    long slotSize,
    long length,
    int crc32c,
    long session,
    long lastAccessMs,
    long leaseUntilMs,
    long expiresAtMs,
    byte[] prevKey,
    boolean linked) {

  private static final byte FORMAT = 1;

  long offset() {
    return slot * slotSize;
  }

  boolean expired(long nowMs) {
    return expiresAtMs != 0 && expiresAtMs <= nowMs;
  }

  boolean visible(long nowMs) {
    return committed && !expired(nowMs);
  }

  KvEntry committedAs(int crc, long nowMs, long expiresAt, boolean linkedToParent) {
    return new KvEntry(
        true,
        slab,
        slot,
        slotSize,
        length,
        crc,
        0,
        nowMs,
        leaseUntilMs,
        expiresAt,
        prevKey,
        linkedToParent);
  }

  KvEntry touched(long nowMs, long leaseUntil) {
    return new KvEntry(
        committed,
        slab,
        slot,
        slotSize,
        length,
        crc32c,
        session,
        nowMs,
        Math.max(leaseUntilMs, leaseUntil),
        expiresAtMs,
        prevKey,
        linked);
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(96 + prevKey.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeBoolean(committed);
      out.writeLong(slab);
      out.writeLong(slot);
      out.writeLong(slotSize);
      out.writeLong(length);
      out.writeInt(crc32c);
      out.writeLong(session);
      out.writeLong(lastAccessMs);
      out.writeLong(leaseUntilMs);
      out.writeLong(expiresAtMs);
      out.writeBoolean(linked);
      out.writeShort(prevKey.length);
      out.write(prevKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static KvEntry decode(byte[] value) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new MetaException(MetaErrorCode.INTERNAL, "unknown KV entry format " + format);
      }
      boolean committed = in.readBoolean();
      long slab = in.readLong();
      long slot = in.readLong();
      long slotSize = in.readLong();
      long length = in.readLong();
      int crc = in.readInt();
      long session = in.readLong();
      long lastAccess = in.readLong();
      long leaseUntil = in.readLong();
      long expiresAt = in.readLong();
      boolean linked = in.readBoolean();
      byte[] prev = new byte[in.readUnsignedShort()];
      in.readFully(prev);
      return new KvEntry(
          committed,
          slab,
          slot,
          slotSize,
          length,
          crc,
          session,
          lastAccess,
          leaseUntil,
          expiresAt,
          prev,
          linked);
    } catch (IOException e) {
      throw new MetaException(MetaErrorCode.INTERNAL, "corrupt KV entry: " + e, e);
    }
  }
}
