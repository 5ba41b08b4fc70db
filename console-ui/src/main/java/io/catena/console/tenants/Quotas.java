package io.catena.console.tenants;

import java.math.BigDecimal;

/** Parses the quota fields: empty means unlimited (0), otherwise a non-negative number. */
final class Quotas {

  private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  private Quotas() {}

  /** "1.5" (GiB) → 1610612736 bytes; "" → 0 (unlimited). */
  static long gibToBytes(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return 0;
    }
    BigDecimal gib;
    try {
      gib = new BigDecimal(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("quota must be a number of GiB, got '" + t + "'", e);
    }
    if (gib.signum() < 0) {
      throw new IllegalArgumentException("quota must not be negative, got '" + t + "'");
    }
    return gib.multiply(GIB).longValue();
  }

  /** "1000" → 1000; "" → 0 (unlimited). */
  static long files(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return 0;
    }
    try {
      long n = Long.parseLong(t);
      if (n < 0) {
        throw new IllegalArgumentException("file quota must not be negative, got '" + t + "'");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("file quota must be a whole number, got '" + t + "'", e);
    }
  }

  /** Tenant names: 1..63 of a-z, 0-9 and '-', starting with a letter. */
  static String name(String text) {
    String t = text.trim();
    if (!t.matches("[a-z][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException(
          "tenant name must be 1-63 lower-case letters, digits or '-', starting with a letter");
    }
    return t;
  }
}
