package io.catena.kv;

import java.time.Duration;

/**
 * How {@link KvEngine#run} retries retryable failures: exponential back-off with full jitter from
 * {@code initialBackoff} up to {@code maxBackoff}, at most {@code maxAttempts} attempts.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(200, Duration.ofNanos(200_000), Duration.ofMillis(200));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
    }
  }

  /** Upper bound of the sleep before attempt {@code attempt + 1} (attempt counts from 1). */
  public long backoffBoundNanos(int attempt) {
    long bound = initialBackoff.toNanos() << Math.min(attempt - 1, 30);
    return bound <= 0 ? maxBackoff.toNanos() : Math.min(bound, maxBackoff.toNanos());
  }
}
