package io.catena.topology.hotspot;

import io.catena.topology.TargetId;

/** What one target served over a sampling window: bytes and operations, and its p99 latency. */
public record TargetLoadSample(
    TargetId target,
    long readBytes,
    long writeBytes,
    long readOps,
    long writeOps,
    double p99LatencyMillis) {
  public TargetLoadSample {
    if (target == null) {
      throw new IllegalArgumentException("load sample without a target");
    }
    if (readBytes < 0 || writeBytes < 0 || readOps < 0 || writeOps < 0 || p99LatencyMillis < 0) {
      throw new IllegalArgumentException(target + ": load sample values must be >= 0");
    }
  }
}
