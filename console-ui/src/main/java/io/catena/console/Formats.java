package io.catena.console;

import io.grpc.Status;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes sizes, rates, durations, times and errors: short and readable. */
public final class Formats {

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private Formats() {}

  /** 1536 → "1.5 KiB"; below 10 units one decimal, else none. */
  public static String bytes(long bytes) {
    if (bytes < 0) {
      return "—";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit == 0) {
      return bytes + " B";
    }
    return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, UNITS[unit]);
  }

  public static String rate(double bytesPerSecond) {
    return bytes(Math.round(bytesPerSecond)) + "/s";
  }

  /** Milliseconds → "45s", "3m 20s", "2h 05m"; negative → "unknown". */
  public static String duration(long ms) {
    if (ms < 0) {
      return "unknown";
    }
    long s = (ms + 999) / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
  }

  public static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", Math.max(0, Math.min(1, fraction)) * 100);
  }

  public static String time(long epochMs) {
    return epochMs <= 0 ? "" : TIME.format(Instant.ofEpochMilli(epochMs));
  }

  /** A gRPC failure as one line: the status code and the server's message. */
  public static String error(Throwable error) {
    Status status = Status.fromThrowable(error);
    if (status.getCode() != Status.Code.UNKNOWN || status.getDescription() != null) {
      String description = status.getDescription();
      return status.getCode()
          + (description == null || description.isBlank() ? "" : ": " + description);
    }
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * {@code separator + "routing vN"}, or nothing where the control plane reports no routing version
   * (0): showing "v0" would claim a version that does not exist.
   */
  public static String routingVersion(String separator, long version) {
    return version > 0 ? separator + "routing v" + version : "";
  }
}
