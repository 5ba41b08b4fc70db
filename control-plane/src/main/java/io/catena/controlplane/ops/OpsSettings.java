package io.catena.controlplane.ops;

import io.catena.topology.FailureDomain;
import java.time.Duration;

/**
 * How operations run.
 *
 * @param pollInterval how often a step re-reads mgmtd while it waits
 * @param stepTimeout the longest a step waits (for a sync, a restart) before it fails
 * @param planCopyBytesPerSecond the copy rate a plan's ETA assumes before anything has moved
 * @param domainLabel the node label naming failure domains
 */
public record OpsSettings(
    Duration pollInterval, Duration stepTimeout, long planCopyBytesPerSecond, String domainLabel) {

  public OpsSettings {
    if (pollInterval.isNegative() || pollInterval.isZero() || stepTimeout.isNegative()) {
      throw new IllegalArgumentException("poll interval and step timeout must be positive");
    }
    if (planCopyBytesPerSecond <= 0) {
      throw new IllegalArgumentException("the planned copy rate must be positive");
    }
    domainLabel = domainLabel == null ? FailureDomain.RACK : domainLabel;
  }

  public static OpsSettings defaults() {
    return new OpsSettings(
        Duration.ofMillis(250), Duration.ofMinutes(30), 200L << 20, FailureDomain.RACK);
  }

  public OpsSettings withStepTimeout(Duration timeout) {
    return new OpsSettings(pollInterval, timeout, planCopyBytesPerSecond, domainLabel);
  }

  public OpsSettings withPollInterval(Duration interval) {
    return new OpsSettings(interval, stepTimeout, planCopyBytesPerSecond, domainLabel);
  }
}
