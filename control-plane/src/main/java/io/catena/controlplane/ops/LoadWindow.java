package io.catena.controlplane.ops;

import java.time.Duration;
import java.util.Locale;

/** The windows load is averaged over (hot spots, throughput, rebalance). */
public enum LoadWindow {
  ONE_MINUTE("1m", Duration.ofMinutes(1)),
  FIVE_MINUTES("5m", Duration.ofMinutes(5)),
  FIFTEEN_MINUTES("15m", Duration.ofMinutes(15)),
  ONE_HOUR("1h", Duration.ofHours(1));

  private final String id;
  private final Duration length;

  LoadWindow(String id, Duration length) {
    this.id = id;
    this.length = length;
  }

  public String id() {
    return id;
  }

  public Duration length() {
    return length;
  }

  /** Parses {@code 1m}, {@code 5m}, {@code 15m}, {@code 1h}; blank means 5m. */
  public static LoadWindow parse(String text) {
    if (text == null || text.isBlank()) {
      return FIVE_MINUTES;
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    for (LoadWindow w : values()) {
      if (w.id.equals(t)) {
        return w;
      }
    }
    throw new IllegalArgumentException("window is 1m, 5m, 15m or 1h, got '" + text + "'");
  }
}
