package io.catena.controlplane.spec;

import java.util.Locale;

/**
 * Sizes in specs: a byte count, or a number with a unit (KiB, MiB, GiB, TiB; KB, MB... decimal).
 */
public final class ByteSize {
  private ByteSize() {}

  /**
   * The number of bytes {@code text} names.
   *
   * @throws IllegalArgumentException when it is not a size
   */
  public static long parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a size is required");
    }
    String t = text.strip();
    int split = 0;
    while (split < t.length() && (Character.isDigit(t.charAt(split)) || t.charAt(split) == '.')) {
      split++;
    }
    if (split == 0) {
      throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 1MiB, 10GiB, 4096)");
    }
    String unit = t.substring(split).strip().toLowerCase(Locale.ROOT);
    long multiplier =
        switch (unit) {
          case "", "b" -> 1L;
          case "k", "kib" -> 1L << 10;
          case "m", "mib" -> 1L << 20;
          case "g", "gib" -> 1L << 30;
          case "t", "tib" -> 1L << 40;
          case "kb" -> 1_000L;
          case "mb" -> 1_000_000L;
          case "gb" -> 1_000_000_000L;
          case "tb" -> 1_000_000_000_000L;
          default ->
              throw new IllegalArgumentException(
                  "'" + text + "' has an unknown unit (use B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)");
        };
    double value;
    try {
      value = Double.parseDouble(t.substring(0, split));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 1MiB, 10GiB, 4096)");
    }
    double bytes = value * multiplier;
    if (bytes > Long.MAX_VALUE || bytes != Math.floor(bytes)) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
    }
    return (long) bytes;
  }
}
