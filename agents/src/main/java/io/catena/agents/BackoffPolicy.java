package io.catena.agents;

import io.catena.protocol.agent.RestartPolicy;
import java.time.Duration;

/**
 * When a crashed daemon is started again: after {@code initial}, doubling per consecutive crash up
 * to {@code max}; a run of at least {@code stableAfter} resets the doubling; {@code
 * flappingCrashes} crashes within {@code flappingWindow} hold the daemon back instead.
 */
public record BackoffPolicy(
    Duration initial,
    Duration max,
    Duration stableAfter,
    int flappingCrashes,
    Duration flappingWindow) {

  /** The agent's defaults: 1 s doubling to 60 s, reset after 60 s up, 5 crashes in 5 min flap. */
  public static final BackoffPolicy DEFAULT =
      new BackoffPolicy(
          Duration.ofSeconds(1),
          Duration.ofSeconds(60),
          Duration.ofSeconds(60),
          5,
          Duration.ofMinutes(5));

  public BackoffPolicy {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial back-off must be positive");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max back-off must not be below the initial back-off");
    }
    if (flappingCrashes < 1) {
      throw new IllegalArgumentException("flapping threshold must be at least 1 crash");
    }
    if (flappingWindow.isNegative() || flappingWindow.isZero()) {
      throw new IllegalArgumentException("flapping window must be positive");
    }
  }

  /** This policy with the fields the spec sets (non-zero) replaced. */
  public BackoffPolicy overriddenBy(RestartPolicy wire) {
    return new BackoffPolicy(
        millisOr(wire.getInitialBackoffMillis(), initial),
        millisOr(wire.getMaxBackoffMillis(), max),
        millisOr(wire.getStableAfterMillis(), stableAfter),
        wire.getFlappingCrashes() > 0 ? wire.getFlappingCrashes() : flappingCrashes,
        millisOr(wire.getFlappingWindowMillis(), flappingWindow));
  }

  private static Duration millisOr(int millis, Duration fallback) {
    return millis > 0 ? Duration.ofMillis(Integer.toUnsignedLong(millis)) : fallback;
  }
}
