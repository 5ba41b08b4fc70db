package io.catena.mgmtd.ha;

import io.catena.mgmtd.cluster.ClusterManager;
import io.catena.mgmtd.cluster.MgmtdSettings;
import io.catena.mgmtd.store.MgmtdStore;
import io.catena.protocol.mgmtd.LeaseRecord;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's claim on the primary lease. Run {@link #renew} every lease-renew interval:
 * it takes the lease when it is free or expired, extends it while held, loads the cluster state
 * when this instance becomes primary and unloads it when it stops being one. A primary that cannot
 * reach the KvEngine steps down once its lease has run out, since a standby may have taken over.
 */
public final class PrimaryElection {

  private static final Logger log = LoggerFactory.getLogger(PrimaryElection.class);

  private final MgmtdStore store;
  private final ClusterManager cluster;
  private final Clock clock;
  private final MgmtdSettings settings;
  private final String selfId;
  private final Supplier<String> selfAddress;

  private volatile boolean primary;
  private volatile LeaseRecord lastSeen;

  public PrimaryElection(
      MgmtdStore store,
      ClusterManager cluster,
      Clock clock,
      MgmtdSettings settings,
      String selfId,
      Supplier<String> selfAddress) {
    this.store = store;
    this.cluster = cluster;
    this.clock = clock;
    this.settings = settings;
    this.selfId = selfId;
    this.selfAddress = selfAddress;
  }

  public synchronized void renew() {
    long now = clock.millis();
    LeaseRecord lease;
    try {
      lease =
          store.acquireLease(selfId, selfAddress.get(), now, settings.leaseDuration().toMillis());
    } catch (RuntimeException e) {
      log.warn("cannot renew the primary lease: {}", e.getMessage());
      if (primary && lastSeen != null && lastSeen.getExpiresAtMs() <= clock.millis()) {
        stepDown("the lease expired while the KvEngine was unreachable");
      }
      return;
    }
    lastSeen = lease;
    boolean mine = lease.getHolderId().equals(selfId);
    if (mine && !primary) {
      cluster.load();
      primary = true;
      log.info(
          "{} ({}) is the primary mgmtd, lease epoch {}",
          selfId,
          selfAddress.get(),
          lease.getEpoch());
    } else if (!mine && primary) {
      stepDown("the lease is held by " + lease.getHolderId());
    }
  }

  /** Gives the lease back so a standby takes over at once (clean shutdown). */
  public synchronized void release() {
    if (primary) {
      stepDown("shutting down");
      try {
        store.releaseLease(selfId);
      } catch (RuntimeException e) {
        log.warn("could not release the lease: {}", e.getMessage());
      }
    }
  }

  public boolean isPrimary() {
    return primary;
  }

  /** The primary's address as last seen in the lease, if a live lease exists. */
  public Optional<LeaseRecord> currentLease() {
    LeaseRecord lease = lastSeen;
    if (lease == null || lease.getExpiresAtMs() <= clock.millis()) {
      return Optional.empty();
    }
    return Optional.of(lease);
  }

  private void stepDown(String why) {
    primary = false;
    cluster.unload();
    log.warn("{} is no longer the primary mgmtd: {}", selfId, why);
  }
}
