package io.catena.topology.hotspot;

import java.time.Duration;

/**
 * When something is hot. Load is bytes per second, with each operation also counted as {@code
 * opCostBytes} (small random reads cost more than their bytes). An item is hot when its load is at
 * least {@code ratio} × the mean load of its kind (targets, chains, nodes or tenants) and at least
 * {@code floorBytesPerSecond}; a target is also hot when its p99 latency is at least {@code
 * latencyRatio} × the median target p99 and at least {@code latencyFloorMillis}.
 */
public record HotSpotRule(
    Duration window,
    double ratio,
    double floorBytesPerSecond,
    long opCostBytes,
    double latencyRatio,
    double latencyFloorMillis) {

  public HotSpotRule {
    if (window == null || window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("the sampling window must be positive");
    }
    if (ratio <= 1) {
      throw new IllegalArgumentException("hot ratio must be > 1, got " + ratio);
    }
    if (floorBytesPerSecond < 0 || opCostBytes < 0 || latencyFloorMillis < 0) {
      throw new IllegalArgumentException("hot-spot floors must be >= 0");
    }
    if (latencyRatio <= 1) {
      throw new IllegalArgumentException("latency ratio must be > 1, got " + latencyRatio);
    }
  }

  /** 1.5 × the mean and 64 MiB/s, an op counted as 64 KiB; latency 2 × the median and 10 ms. */
  public static HotSpotRule defaults(Duration window) {
    return new HotSpotRule(window, 1.5, 64.0 * 1024 * 1024, 64 * 1024, 2.0, 10.0);
  }
}
