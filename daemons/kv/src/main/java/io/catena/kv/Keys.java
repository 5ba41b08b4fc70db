package io.catena.kv;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Comparator;

/** Key helpers: ordering, range ends and big-endian encodings (which sort like the numbers). */
public final class Keys {

  /** Unsigned lexicographic order, the order every backend keeps keys in. */
  public static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

  private Keys() {}

  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /** The smallest key greater than {@code key}: {@code key + 0x00}. */
  public static byte[] after(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /**
   * The first key that does not start with {@code prefix}: the prefix with its last byte below 0xff
   * incremented and what follows dropped.
   */
  public static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    throw new IllegalArgumentException("a prefix of only 0xff bytes has no end key");
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  public static byte[] u64(long value) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) value;
      value >>>= 8;
    }
    return b;
  }

  public static long readU64(byte[] bytes, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[offset + i] & 0xff);
    }
    return v;
  }

  /** The 8-byte little-endian form of a counter, as {@link KvTransaction#add} stores it. */
  public static byte[] le64(long value) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (value >>> (8 * i));
    }
    return b;
  }

  /** A counter's value: up to 8 little-endian bytes, zero-padded; null (absent) reads as 0. */
  public static long readLe64(byte[] bytes) {
    long v = 0;
    if (bytes != null) {
      for (int i = 0; i < Math.min(8, bytes.length); i++) {
        v |= (bytes[i] & 0xffL) << (8 * i);
      }
    }
    return v;
  }

  /** ASCII printable bytes as is, others as {@code \xNN}; for messages and logs. */
  public static String printable(byte[] bytes) {
    if (bytes == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }
}
