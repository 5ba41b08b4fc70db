package io.catena.client.storage;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Endpoints recently found broken, and until when they are left alone: a data channel that refused
 * a connection or broke mid-reply is not tried again for {@code pause}, so reads in that time go
 * straight to gRPC instead of each paying a failed connect first. Thread-safe.
 */
final class EndpointPause {
  private final long pauseNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Long> badUntil = new ConcurrentHashMap<>();

  EndpointPause(Duration pause, LongSupplier nanoClock) {
    if (pause.isNegative()) {
      throw new IllegalArgumentException("pause must not be negative");
    }
    this.pauseNanos = pause.toNanos();
    this.nanoClock = nanoClock;
  }

  /** The endpoint failed now: leave it alone for the pause. */
  void failed(String endpoint) {
    badUntil.put(endpoint, nanoClock.getAsLong() + pauseNanos);
  }

  /** Whether the endpoint may be tried: never failed, or its pause is over. */
  boolean usable(String endpoint) {
    Long until = badUntil.get(endpoint);
    if (until == null) {
      return true;
    }
    if (nanoClock.getAsLong() - until >= 0) {
      badUntil.remove(endpoint, until);
      return true;
    }
    return false;
  }
}
