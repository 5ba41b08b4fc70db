package io.catena.mgmtd.cluster;

import java.time.Duration;

/**
 * Timing of membership and the primary lease. A daemon is FAILED after {@code heartbeatTimeout}
 * without a heartbeat; a standby takes over within {@code leaseDuration} plus one {@code
 * leaseRenewInterval} of the primary's death.
 */
public record MgmtdSettings(
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    Duration leaseDuration,
    Duration leaseRenewInterval,
    Duration checkInterval) {

  public MgmtdSettings {
    if (heartbeatTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "heartbeat timeout must be at least two heartbeat intervals");
    }
    if (leaseRenewInterval.compareTo(leaseDuration.dividedBy(2)) > 0) {
      throw new IllegalArgumentException("renew the lease at least twice per lease duration");
    }
  }

  /** Production defaults: 3FS's 10 s heartbeat / 60 s failure, a 20 s lease renewed every 5 s. */
  public static MgmtdSettings defaults() {
    return new MgmtdSettings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofSeconds(20),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1));
  }

  /** Local-cluster defaults (`catena up`): fail over and detect failures within seconds. */
  public static MgmtdSettings local() {
    return new MgmtdSettings(
        Duration.ofMillis(500),
        Duration.ofSeconds(3),
        Duration.ofSeconds(3),
        Duration.ofMillis(500),
        Duration.ofMillis(250));
  }
}
