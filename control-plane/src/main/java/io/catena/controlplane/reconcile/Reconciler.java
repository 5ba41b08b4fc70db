package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.DaemonObservation;
import io.catena.controlplane.driver.JoinedNode;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.spec.ClusterSpec.TenantSpec;
import io.catena.controlplane.status.ClusterStatus;
import io.catena.controlplane.status.ClusterStatus.Capacity;
import io.catena.controlplane.status.ClusterStatus.DaemonStatus;
import io.catena.controlplane.status.ClusterStatus.MgmtdStatus;
import io.catena.controlplane.status.ClusterStatus.NodeStatus;
import io.catena.controlplane.status.ClusterStatus.StateCounts;
import io.catena.controlplane.status.ClusterStatus.StepStatus;
import io.catena.controlplane.status.ClusterStatus.TenantStatus;
import io.catena.controlplane.status.Condition;
import io.catena.controlplane.status.TargetStates;
import io.catena.controlplane.tenant.TenantAdmin.TenantRecord;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.TargetInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One reconcile pass: the steps in their fixed order, stopping at the first that is not done (each
 * depends on the ones before), then an observation of the cluster and its conditions. A pass never
 * waits; it says how soon the next one should run.
 */
public final class Reconciler {

  /** The pause between passes while something is still being done. */
  public static final Duration BUSY_REQUEUE = Duration.ofSeconds(1);

  /** The pause between passes of a ready cluster (it still re-checks everything). */
  public static final Duration READY_REQUEUE = Duration.ofSeconds(5);

  private volatile ReconcileContext context;
  private final List<ReconcileStep> steps;
  private final Clock clock;
  private volatile ClusterStatus last;

  public Reconciler(ReconcileContext context, List<ReconcileStep> steps, Clock clock) {
    this.context = context;
    this.steps = List.copyOf(steps);
    this.clock = clock;
  }

  /** agents joined → mgmtd → meta → storage daemons → targets → chain table → tenants → gateway. */
  public static List<ReconcileStep> standardSteps() {
    return List.of(
        new AgentsJoinedStep(),
        new MgmtdStep(),
        new MetaStep(),
        new StorageDaemonsStep(),
        new TargetsStep(),
        new ChainTableStep(),
        new TenantsStep(),
        new GatewayStep());
  }

  public ReconcileContext context() {
    return context;
  }

  /**
   * Reconciles to {@code layout} from the next pass on (a node added by a scale-out); waits for a
   * pass under way to end.
   */
  public synchronized void updateLayout(ClusterLayout layout) {
    ReconcileContext c = context;
    context = new ReconcileContext(layout, c.driver(), c.mgmtd(), c.tenants(), c.tokens());
  }

  /** The status of the last pass, or null before the first. */
  public ClusterStatus lastStatus() {
    return last;
  }

  /** Runs one pass; its result says when the next should run. */
  public synchronized Pass pass() {
    List<StepStatus> results = new ArrayList<>();
    StepStatus blocking = null;
    boolean failed = false;
    for (ReconcileStep step : steps) {
      if (blocking != null) {
        results.add(new StepStatus(step.name(), "WAITING", "after " + blocking.name()));
        continue;
      }
      StepResult result;
      try {
        result = step.run(context);
      } catch (RuntimeException e) {
        result = StepResult.failed(e.getMessage() == null ? e.toString() : e.getMessage());
      }
      StepStatus status = new StepStatus(step.name(), result.outcome().name(), result.message());
      results.add(status);
      if (!result.letsNextRun()) {
        blocking = status;
        failed = result.outcome() == StepResult.Outcome.FAILED;
      }
    }
    ClusterStatus status = observe(results, blocking, failed);
    last = status;
    return new Pass(status, status.isReady() ? READY_REQUEUE : BUSY_REQUEUE);
  }

  /** A pass's status and how soon to run the next. */
  public record Pass(ClusterStatus status, Duration requeueAfter) {}

  private ClusterStatus observe(List<StepStatus> steps, StepStatus blocking, boolean failed) {
    Instant now = clock.instant();
    List<NodeStatus> nodes = observeNodes();
    MgmtdStatus mgmtd = new MgmtdStatus(context.layout().mgmtdEndpoints(), "");
    StateCounts targets = new StateCounts(0, Map.of());
    StateCounts chains = new StateCounts(0, Map.of());
    Capacity capacity = new Capacity(0, 0);
    if (stepReached(steps, "storage-daemons")) {
      try {
        mgmtd =
            new MgmtdStatus(
                context.layout().mgmtdEndpoints(), context.mgmtd().primary().orElse(""));
        List<TargetInfo> t = context.mgmtd().targets();
        targets = count(t.stream().map(TargetStates::shown).toList());
        capacity =
            new Capacity(
                t.stream().mapToLong(TargetInfo::getCapacityBytes).sum(),
                t.stream().mapToLong(TargetInfo::getUsedBytes).sum());
        chains = count(context.mgmtd().chains().stream().map(Reconciler::chainHealth).toList());
      } catch (RuntimeException e) {
        // mgmtd unreachable: counts stay empty, the mgmtd step reports why
      }
    }
    List<TenantStatus> tenants = observeTenants(steps);

    boolean stepsDone = blocking == null;
    int healthyChains = chains.byState().getOrDefault(HEALTHY, 0);
    boolean dataHealthy = chains.total() > 0 && healthyChains == chains.total();
    List<String> sick = new ArrayList<>();
    for (NodeStatus n : nodes) {
      if (!n.joined()) {
        sick.add(n.name() + " (agent not joined)");
      }
      for (DaemonStatus d : n.daemons()) {
        if (!DaemonObservation.State.HEALTHY.name().equals(d.state())) {
          sick.add(n.name() + "/" + d.name() + " " + d.state().toLowerCase(Locale.ROOT));
        }
      }
    }
    boolean ready = stepsDone && dataHealthy && sick.isEmpty();
    List<Condition> previous = last == null ? List.of() : last.conditions();
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        since(
            ready
                ? Condition.of(
                    Condition.READY,
                    true,
                    "ClusterReady",
                    healthyChains + " chains serving on " + nodes.size() + " nodes",
                    now)
                : Condition.of(
                    Condition.READY,
                    false,
                    stepsDone ? "NotHealthy" : reason(blocking.name()),
                    stepsDone
                        ? notHealthyMessage(chains, healthyChains, sick)
                        : blocking.name() + ": " + blocking.message(),
                    now),
            previous));
    conditions.add(
        since(
            Condition.of(
                Condition.PROGRESSING,
                !stepsDone && !failed,
                stepsDone ? "Reconciled" : reason(blocking.name()),
                stepsDone ? "every step is done" : blocking.name() + ": " + blocking.message(),
                now),
            previous));
    boolean degraded = failed || (stepsDone && !ready);
    conditions.add(
        since(
            Condition.of(
                Condition.DEGRADED,
                degraded,
                failed ? "StepFailed" : degraded ? "NotHealthy" : "AsExpected",
                failed
                    ? blocking.name() + ": " + blocking.message()
                    : degraded
                        ? notHealthyMessage(chains, healthyChains, sick)
                        : "nothing is degraded",
                now),
            previous));
    return new ClusterStatus(
        context.layout().manifest().generation(),
        now.toString(),
        conditions,
        mgmtd,
        nodes,
        targets,
        chains,
        capacity,
        steps,
        tenants);
  }

  static final String HEALTHY = "healthy";
  static final String DEGRADED = "degraded";
  static final String UNAVAILABLE = "unavailable";

  /** healthy: every member SERVING; degraded: some SERVING; unavailable: none. */
  static String chainHealth(ChainInfo chain) {
    long serving =
        chain.getMembersList().stream()
            .map(ChainMember::getPublicState)
            .filter(s -> s == PublicState.SERVING)
            .count();
    if (serving == chain.getMembersCount() && serving > 0) {
      return HEALTHY;
    }
    return serving > 0 ? DEGRADED : UNAVAILABLE;
  }

  private static String notHealthyMessage(StateCounts chains, int healthy, List<String> sick) {
    List<String> parts = new ArrayList<>();
    if (chains.total() == 0) {
      parts.add("no chains yet");
    } else if (healthy < chains.total()) {
      parts.add((chains.total() - healthy) + " of " + chains.total() + " chains not fully serving");
    }
    if (!sick.isEmpty()) {
      parts.add("not healthy: " + String.join(", ", sick));
    }
    return String.join("; ", parts);
  }

  private static Condition since(Condition now, List<Condition> previous) {
    return now.since(
        previous.stream().filter(c -> c.type().equals(now.type())).findFirst().orElse(null));
  }

  /** {@code storage-daemons} → {@code WaitingForStorageDaemons}. */
  static String reason(String step) {
    StringBuilder out = new StringBuilder("WaitingFor");
    for (String part : step.split("-")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }

  private static boolean stepReached(List<StepStatus> steps, String name) {
    for (StepStatus s : steps) {
      if (s.name().equals(name)) {
        return !"WAITING".equals(s.outcome()) || !s.message().startsWith("after ");
      }
    }
    return false;
  }

  private static StateCounts count(List<String> states) {
    Map<String, Integer> by = new TreeMap<>();
    states.forEach(s -> by.merge(s, 1, Integer::sum));
    return new StateCounts(states.size(), by);
  }

  private List<NodeStatus> observeNodes() {
    Map<String, JoinedNode> joined =
        context.driver().nodes().stream()
            .collect(Collectors.toMap(JoinedNode::name, n -> n, (a, b) -> b));
    List<NodeStatus> out = new ArrayList<>();
    for (NodeSpec node : context.layout().nodes()) {
      JoinedNode j = joined.get(node.name());
      List<DaemonStatus> daemons = new ArrayList<>();
      if (j != null) {
        try {
          for (DaemonObservation d : context.driver().observeAll(node.name())) {
            daemons.add(
                new DaemonStatus(
                    d.name(),
                    d.kind().id(),
                    d.state().name(),
                    d.pid(),
                    endpointOf(node, d),
                    d.detail()));
          }
        } catch (RuntimeException e) {
          daemons.add(new DaemonStatus("agent", "agent", "UNREACHABLE", 0, "", e.getMessage()));
        }
      }
      out.add(
          new NodeStatus(
              node.name(),
              context.layout().nodeId(node),
              j == null ? "" : j.agentEndpoint(),
              j != null,
              daemons));
    }
    return out;
  }

  private String endpointOf(NodeSpec node, DaemonObservation d) {
    try {
      return context.layout().endpoint(node, d.kind());
    } catch (RuntimeException e) {
      return "";
    }
  }

  private List<TenantStatus> observeTenants(List<StepStatus> steps) {
    List<TenantSpec> wanted = context.layout().spec().tenants();
    if (wanted.isEmpty()) {
      return List.of();
    }
    Set<String> existing = Set.of();
    String why = "waiting for meta";
    if (stepReached(steps, "tenants")) {
      try {
        existing =
            context.tenants().list().stream().map(TenantRecord::name).collect(Collectors.toSet());
        why = "not created yet";
      } catch (RuntimeException e) {
        why = e.getMessage();
      }
    }
    List<TenantStatus> out = new ArrayList<>();
    for (TenantSpec t : wanted) {
      boolean created = existing.contains(t.name());
      out.add(new TenantStatus(t.name(), created, created ? "exists" : why));
    }
    return out;
  }
}
