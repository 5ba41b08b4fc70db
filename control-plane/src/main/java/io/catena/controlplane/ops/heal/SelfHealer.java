package io.catena.controlplane.ops.heal;

import io.catena.controlplane.ops.AuditEntry;
import io.catena.controlplane.ops.OperationKind;
import io.catena.controlplane.ops.OperationManager;
import io.catena.controlplane.ops.OperationRequest;
import io.catena.controlplane.ops.OperationState;
import io.catena.controlplane.ops.OperationView;
import io.catena.controlplane.ops.OpsEvent;
import io.catena.controlplane.ops.cluster.ClusterSnapshot;
import io.catena.controlplane.ops.safety.SelfHealPolicy;
import io.catena.topology.Chain;
import io.catena.topology.ClusterTopology;
import io.catena.topology.TargetId;
import io.catena.topology.TargetPublicState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs targets that stay OFFLINE past the timeout, without being asked: each check reads mgmtd,
 * notes since when each chain target has been OFFLINE, and starts a {@code self-heal} operation
 * (audited as {@code self-healing}) for those {@link SelfHealPolicy} says are due, within the
 * concurrency budget and hourly rate. Paused, it only watches. A target whose repair was refused or
 * failed is tried again only after another full timeout.
 */
public final class SelfHealer implements AutoCloseable {

  public static final String WHO = "self-healing";
  private static final Logger log = LoggerFactory.getLogger(SelfHealer.class);

  /** What Get/SetSelfHealing report. */
  public record State(
      boolean paused,
      Duration offlineTimeout,
      int maxConcurrentRepairs,
      int repairsPerHour,
      List<String> activeRepairs) {}

  private final Supplier<ClusterSnapshot> cluster;
  private final OperationManager operations;
  private final SelfHealPolicy.Limits limits;
  private final Clock clock;
  private final Map<Long, Long> offlineSince = new HashMap<>();
  private final Map<Long, String> active = new HashMap<>();
  private final List<Long> starts = new ArrayList<>();
  private boolean paused;
  private ScheduledExecutorService scheduler;

  public SelfHealer(
      Supplier<ClusterSnapshot> cluster,
      OperationManager operations,
      SelfHealPolicy.Limits limits,
      boolean paused,
      Clock clock) {
    this.cluster = cluster;
    this.operations = operations;
    this.limits = limits;
    this.paused = paused;
    this.clock = clock;
    operations.onFinish(this::finished);
  }

  /** Checks every {@code interval} in the background until closed. */
  public synchronized SelfHealer start(Duration interval) {
    if (scheduler == null) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("self-healing").unstarted(r));
      scheduler.scheduleWithFixedDelay(
          this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      log.debug("self-healing check skipped: {}", e.getMessage());
    }
  }

  /** One check: track OFFLINE targets, start the repairs that are due. Returns their op ids. */
  public List<String> check() {
    ClusterSnapshot snap = cluster.get();
    long now = clock.millis();
    List<Long> due;
    synchronized (this) {
      Set<Long> offline = new HashSet<>();
      ClusterTopology topo = snap.topology();
      for (Chain chain : topo.chains()) {
        for (TargetId t : chain.targets()) {
          if (topo.target(t).publicState() == TargetPublicState.OFFLINE) {
            offline.add(t.value());
          }
        }
      }
      offlineSince.keySet().retainAll(offline);
      for (long t : offline) {
        offlineSince.putIfAbsent(t, now);
      }
      if (operations.exclusiveRunning()) {
        return List.of();
      }
      starts.removeIf(t -> t < now - Duration.ofHours(1).toMillis());
      due = SelfHealPolicy.due(offlineSince, now, limits, active.keySet(), starts, paused);
    }
    List<String> started = new ArrayList<>();
    for (long target : due) {
      OperationView op = operations.plan(new OperationRequest.SelfHeal(target), WHO, true);
      synchronized (this) {
        // whatever the outcome, wait a full timeout before trying this target again
        offlineSince.put(target, now);
        if (op.state() == OperationState.RUNNING) {
          active.put(target, op.id());
          starts.add(now);
          started.add(op.id());
        } else if (op.state() == OperationState.PLANNED) {
          operations.cancel(op.id(), WHO);
        }
      }
    }
    return started;
  }

  private synchronized void finished(OperationView op) {
    if (op.kind() == OperationKind.SELF_HEAL) {
      active.values().remove(op.id());
    }
  }

  public synchronized State state() {
    return new State(
        paused,
        limits.offlineTimeout(),
        limits.maxConcurrent(),
        limits.perHour(),
        List.copyOf(active.values()));
  }

  /** Pauses or resumes; audited. */
  public State setPaused(boolean paused, String by) {
    synchronized (this) {
      this.paused = paused;
    }
    AuditEntry entry =
        new AuditEntry(
            clock.millis(),
            by,
            paused ? "pause self-healing" : "resume self-healing",
            "self-healing",
            "OK",
            "");
    operations.audit().append(entry);
    operations
        .events()
        .publish(
            OpsEvent.Kind.AUDIT, OpsEvent.Severity.INFO, by + " " + entry.action(), null, entry);
    return state();
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
