package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.mgmtd.MgmtdAdmin;
import io.catena.controlplane.mgmtd.MgmtdException;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.SpecProblem;
import io.catena.controlplane.status.ClusterStatus;
import io.catena.controlplane.status.Condition;
import io.catena.controlplane.status.TargetStates;
import io.catena.protocol.mgmtd.TargetInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reconciles a CatenaCluster in small idempotent steps: config → kv → mgmtd → meta → storage →
 * chain table → tenants → gateway → rollout. A pass stops at the first step that is not done and is
 * rescheduled; nothing sleeps. Pod changes of the cluster trigger a pass at once. The status
 * carries the conditions Ready, Progressing and Degraded, observedGeneration and each step's
 * outcome; every step outcome that changes is published as an Event.
 */
@ControllerConfiguration(name = "catenacluster")
public final class CatenaClusterReconciler implements Reconciler<CatenaCluster> {

  static final Duration WHILE_PROGRESSING = Duration.ofSeconds(5);
  static final Duration WHEN_READY = Duration.ofSeconds(60);

  private final Function<ClusterNames, MgmtdAdmin> mgmtdFactory;
  private final Clock clock;
  private final List<ReconcileStep> steps =
      List.of(
          new ConfigStep(),
          new KvStep(),
          new DaemonStep(DaemonKind.MGMTD),
          new DaemonStep(DaemonKind.META),
          new DaemonStep(DaemonKind.STORAGE),
          new ChainTableStep(),
          new TenantsStep(),
          new GatewayStep(),
          new RolloutStep());
  private final Map<String, MgmtdAdmin> admins = new HashMap<>();
  private final OperatorOperations operations;

  /**
   * @param mgmtdFactory opens mgmtd's admin API for a cluster (in the cluster: its Service name)
   */
  public CatenaClusterReconciler(Function<ClusterNames, MgmtdAdmin> mgmtdFactory, Clock clock) {
    this(mgmtdFactory, null, clock);
  }

  /**
   * @param operations each cluster's operations runtime (null: none; the reconciler then never
   *     waits for an operation)
   */
  public CatenaClusterReconciler(
      Function<ClusterNames, MgmtdAdmin> mgmtdFactory, OperatorOperations operations, Clock clock) {
    this.mgmtdFactory = mgmtdFactory;
    this.operations = operations;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, CatenaCluster>> prepareEventSources(
      EventSourceContext<CatenaCluster> context) {
    var pods =
        InformerEventSourceConfiguration.from(Pod.class, CatenaCluster.class)
            .withName("pods")
            .withLabelSelector(ClusterNames.CLUSTER_LABEL)
            .withSecondaryToPrimaryMapper(
                (Pod pod) ->
                    Set.of(
                        new ResourceID(
                            pod.getMetadata().getLabels().get(ClusterNames.CLUSTER_LABEL),
                            pod.getMetadata().getNamespace())))
            .build();
    return List.of(new InformerEventSource<>(pods, context));
  }

  @Override
  public UpdateControl<CatenaCluster> reconcile(
      CatenaCluster cluster, Context<CatenaCluster> context) {
    ClusterNames names = ClusterNames.of(cluster);
    ClusterStatus previous = cluster.getStatus();
    ClusterEvents events = new ClusterEvents(context.getClient(), cluster);
    long generation =
        cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
    List<SpecProblem> problems = KubernetesSpecCheck.problems(cluster);
    if (!problems.isEmpty()) {
      String message =
          problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
      if (previous == null
          || previous
              .condition(Condition.READY)
              .map(c -> !message.equals(c.message()))
              .orElse(true)) {
        events.warning("InvalidSpec", message);
      }
      cluster.setStatus(
          status(
              names,
              false,
              previous,
              generation,
              List.of(new ClusterStatus.StepStatus("validate", "Failed", message)),
              false,
              "InvalidSpec",
              message,
              false,
              null,
              null));
      writeStatus(context, cluster);
      return UpdateControl.noUpdate();
    }
    ClusterSpec spec = KubernetesSpecCheck.withDefaults(names, cluster.getSpec());
    MgmtdAdmin admin =
        admins.computeIfAbsent(
            names.namespace() + "/" + names.cluster(), k -> mgmtdFactory.apply(names));
    java.util.Optional<String> running = java.util.Optional.empty();
    Set<Integer> cordoned = ClusterOperations.drained(cluster);
    if (operations != null) {
      try {
        ClusterOperations ops = operations.of(cluster);
        running = ops.running();
        cordoned = ops.cordoned(cluster);
      } catch (RuntimeException e) {
        // the cluster still reconciles; its operations are unavailable until this succeeds
        org.slf4j.LoggerFactory.getLogger(CatenaClusterReconciler.class)
            .warn("cannot start the operations of {}: {}", names.cluster(), e.toString());
      }
    }
    StepContext step =
        new StepContext(
            context.getClient(),
            cluster,
            spec,
            names,
            KubernetesSettings.of(spec),
            () -> admin,
            events,
            running,
            cordoned);
    List<ClusterStatus.StepStatus> outcomes = new ArrayList<>();
    StepOutcome last = null;
    String lastName = null;
    boolean storageDegraded = false;
    for (ReconcileStep s : steps) {
      StepOutcome outcome;
      try {
        outcome = s.run(step);
      } catch (RuntimeException e) {
        outcome =
            StepOutcome.failed("StepError", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      outcomes.add(new ClusterStatus.StepStatus(s.name(), label(outcome), outcome.message()));
      publishIfChanged(events, previous, s.name(), outcome);
      last = outcome;
      lastName = s.name();
      if (!outcome.isDone()) {
        storageDegraded = outcome.lost();
        break;
      }
    }
    boolean ready = last != null && last.isDone();
    String reason = ready ? "AllStepsDone" : camel(lastName) + last.reason();
    String message = ready ? "every step is done" : lastName + ": " + last.message();
    if (ready && !wasReady(previous)) {
      events.normal("ClusterReady", "all daemons ready, " + outcomes.get(5).message());
    }
    cluster.setStatus(
        status(
            names,
            !ready && last.kind() == StepOutcome.Kind.WAITING,
            previous,
            generation,
            outcomes,
            ready,
            reason,
            message,
            storageDegraded,
            spec,
            admin));
    writeStatus(context, cluster);
    return UpdateControl.<CatenaCluster>noUpdate()
        .rescheduleAfter(ready ? WHEN_READY : WHILE_PROGRESSING);
  }

  /**
   * Replaces the whole status subresource (a PUT of the server's current copy with the new status,
   * its resourceVersion cleared: an unconditional write, as the operator is the status's only
   * writer). No patch: a JSON patch computed against JOSDK's cache may name array indices the
   * server's copy lacks, and a merge patch cannot remove map keys it does not know of. Without a
   * resourceVersion a spec edit landing meanwhile neither conflicts with it nor it with the edit.
   */
  private static void writeStatus(Context<CatenaCluster> context, CatenaCluster cluster) {
    CatenaCluster current =
        context
            .getClient()
            .resources(CatenaCluster.class)
            .inNamespace(cluster.getMetadata().getNamespace())
            .withName(cluster.getMetadata().getName())
            .get();
    if (current == null || cluster.getStatus() == null) {
      return;
    }
    if (cluster.getStatus().equals(current.getStatus())) {
      return;
    }
    current.setStatus(cluster.getStatus());
    current.getMetadata().setResourceVersion(null);
    context.getClient().resource(current).subresource("status").update();
  }

  private static boolean wasReady(ClusterStatus previous) {
    return previous != null && previous.isReady();
  }

  private void publishIfChanged(
      ClusterEvents events, ClusterStatus previous, String step, StepOutcome outcome) {
    if (outcome.isDone()) {
      return;
    }
    String before =
        previous == null
            ? null
            : previous.steps().stream()
                .filter(s -> s.name().equals(step))
                .map(ClusterStatus.StepStatus::message)
                .findFirst()
                .orElse(null);
    if (!outcome.message().equals(before)) {
      String reason = camel(step) + outcome.reason();
      if (outcome.kind() == StepOutcome.Kind.FAILED) {
        events.warning(reason, outcome.message());
      } else {
        events.normal(reason, outcome.message());
      }
    }
  }

  private ClusterStatus status(
      ClusterNames names,
      boolean progressing,
      ClusterStatus previous,
      long generation,
      List<ClusterStatus.StepStatus> steps,
      boolean ready,
      String reason,
      String message,
      boolean degraded,
      ClusterSpec spec,
      MgmtdAdmin admin) {
    var now = clock.instant();
    List<Condition> conditions =
        List.of(
            Condition.of(Condition.READY, ready, reason, message, now)
                .since(prior(previous, Condition.READY)),
            Condition.of(
                    Condition.PROGRESSING,
                    progressing,
                    ready ? "AllStepsDone" : reason,
                    ready ? "nothing to do" : message,
                    now)
                .since(prior(previous, Condition.PROGRESSING)),
            Condition.of(
                    Condition.DEGRADED,
                    degraded,
                    degraded ? "StorageNotReady" : "AsExpected",
                    degraded ? message : "no component lost",
                    now)
                .since(prior(previous, Condition.DEGRADED)));
    ClusterStatus.MgmtdStatus mgmtd = null;
    ClusterStatus.Capacity capacity = null;
    ClusterStatus.StateCounts targets = null;
    ClusterStatus.StateCounts chains = null;
    List<ClusterStatus.TenantStatus> tenants = List.of();
    if (spec != null) {
      KubernetesSettings settings = KubernetesSettings.of(spec);
      long disks = spec.nodes().stream().mapToLong(n -> n.disks().size()).sum();
      long used = 0;
      String primary = null;
      try {
        primary = admin.primary().orElse(null);
        List<TargetInfo> all = admin.targets();
        used = all.stream().mapToLong(TargetInfo::getUsedBytes).sum();
        targets = counts(all.stream().map(TargetStates::shown).toList());
        chains = counts(admin.chains().stream().map(c -> "CHAIN").toList());
      } catch (MgmtdException e) {
        // mgmtd not reachable: the counts stay unknown
      }
      List<String> endpoints = new ArrayList<>();
      for (int i = 0; i < spec.mgmtdReplicas(); i++) {
        endpoints.add(names.podHost(DaemonKind.MGMTD, i) + ":" + ClusterNames.MGMTD_PORT);
      }
      mgmtd = new ClusterStatus.MgmtdStatus(endpoints, primary);
      capacity = new ClusterStatus.Capacity(disks * settings.diskBytes(), used);
      tenants =
          spec.tenants().stream()
              .map(t -> new ClusterStatus.TenantStatus(t.name(), ready, "token in Secret"))
              .toList();
    }
    return new ClusterStatus(
        generation,
        now.toString(),
        conditions,
        mgmtd,
        List.of(),
        targets,
        chains,
        capacity,
        steps,
        tenants);
  }

  private static ClusterStatus.StateCounts counts(List<String> states) {
    Map<String, Integer> by = new HashMap<>();
    states.forEach(s -> by.merge(s, 1, Integer::sum));
    return new ClusterStatus.StateCounts(states.size(), by);
  }

  private static Condition prior(ClusterStatus previous, String type) {
    return previous == null ? null : previous.condition(type).orElse(null);
  }

  private static String label(StepOutcome outcome) {
    return switch (outcome.kind()) {
      case DONE -> "Done";
      case WAITING -> "Waiting";
      case FAILED -> "Failed";
    };
  }

  static String camel(String step) {
    StringBuilder out = new StringBuilder();
    for (String part : step.split("-")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }
}
