package io.catena.controlplane.kubernetes;

import io.catena.controlplane.ops.OperationKind;
import io.catena.controlplane.ops.OperationRequest;
import io.catena.controlplane.ops.OperationState;
import io.catena.controlplane.ops.OpsEvent;
import io.catena.controlplane.ops.OpsRuntime;
import io.catena.controlplane.ops.cluster.ClusterAdmin;
import io.catena.controlplane.spec.ClusterSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.grpc.ServerServiceDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CatenaCluster's operations: an {@link OpsRuntime} whose nodes are pods ({@link
 * PodNodeRestarter}, {@link StatefulSetNodeProvisioner}), whose operation events are also
 * Kubernetes Events on the CatenaCluster, and which cordons the node a drain empties (annotation
 * {@value #DRAINED}) so that the reconciler never lays chains on it again.
 */
public final class ClusterOperations implements AutoCloseable {

  /** Comma-separated mgmtd node ids of drained (cordoned) storage nodes. */
  public static final String DRAINED = "catena.io/drained-nodes";

  private static final Logger log = LoggerFactory.getLogger(ClusterOperations.class);

  private final KubernetesClient client;
  private final ClusterNames names;
  private final String uid;
  private final OpsRuntime runtime;
  private final ServerServiceDefinition service;
  private final ExecutorService eventsOut;
  private final AutoCloseable watch;
  private final Set<Integer> cordoned = java.util.concurrent.ConcurrentHashMap.newKeySet();

  ClusterOperations(
      KubernetesClient client,
      CatenaCluster cluster,
      OperatorOperations.Config config,
      Clock clock) {
    this.client = client;
    this.names = ClusterNames.of(cluster);
    this.uid = cluster.getMetadata().getUid();
    cordoned.addAll(drained(cluster));
    ClusterAdmin admin = config.admin().apply(names);
    ClusterSpec initial = cluster.getSpec();
    PodNodeRestarter restarter =
        new PodNodeRestarter(
            client,
            names,
            () -> {
              CatenaCluster now = current();
              return now == null ? initial : now.getSpec();
            },
            () -> admin.snapshot().primary(),
            config.podReadyTimeout(),
            config.settings().pollInterval());
    StatefulSetNodeProvisioner provisioner =
        new StatefulSetNodeProvisioner(
            client, names, config.podReadyTimeout(), config.settings().pollInterval());
    String domain = initial.failureDomainLabelOrDefault();
    this.runtime =
        new OpsRuntime(
                new OpsRuntime.Config(
                    config
                        .dataDir()
                        .resolve(names.namespace())
                        .resolve(names.cluster() + "-" + uid),
                    admin,
                    config.hosts(),
                    provisioner,
                    restarter,
                    new io.catena.controlplane.ops.OpsSettings(
                        config.settings().pollInterval(),
                        config.settings().stepTimeout(),
                        config.settings().planCopyBytesPerSecond(),
                        domain),
                    io.catena.controlplane.ops.ControlPlaneOps.SELF_HEALING,
                    !config.selfHealing(),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5),
                    io.catena.protocol.security.TransportSecurity.insecurePlaintext()),
                clock)
            .start();
    this.service = runtime.service().bindService();
    runtime.operations().beforeRun(this::beforeRun);
    ClusterEvents events = new ClusterEvents(client, cluster);
    this.eventsOut = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    this.watch = runtime.operations().events().watch(0, e -> publish(events, e));
  }

  public OpsRuntime runtime() {
    return runtime;
  }

  String uid() {
    return uid;
  }

  ServerServiceDefinition service() {
    return service;
  }

  /** The operation that is changing the cluster now ("op-3 (drain)"), if one runs. */
  Optional<String> running() {
    return runtime.operations().list(true).stream()
        .filter(v -> v.state() == OperationState.RUNNING)
        .map(v -> v.id() + " (" + v.kind().id() + ")")
        .findFirst();
  }

  /** The cordoned nodes: the annotation's and those of drains this operator started. */
  Set<Integer> cordoned(CatenaCluster cluster) {
    Set<Integer> all = new TreeSet<>(cordoned);
    all.addAll(drained(cluster));
    return all;
  }

  static Set<Integer> drained(CatenaCluster cluster) {
    Map<String, String> annotations = cluster.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(DRAINED);
    Set<Integer> out = new TreeSet<>();
    if (value == null) {
      return out;
    }
    for (String part : value.split(",")) {
      try {
        if (!part.isBlank()) {
          out.add(Integer.parseInt(part.strip()));
        }
      } catch (NumberFormatException e) {
        log.warn("ignoring '{}' in {} of {}", part, DRAINED, cluster.getMetadata().getName());
      }
    }
    return out;
  }

  /** A drain cordons its node before any replica moves (and it stays cordoned afterwards). */
  private void beforeRun(OperationRequest request) {
    if (!(request instanceof OperationRequest.Drain d)) {
      return;
    }
    cordoned.add(d.nodeId());
    CatenaCluster now = current();
    if (now == null) {
      return;
    }
    Set<Integer> all = cordoned(now);
    String value = all.stream().map(String::valueOf).collect(Collectors.joining(","));
    try {
      client
          .resources(CatenaCluster.class)
          .inNamespace(names.namespace())
          .withName(names.cluster())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"annotations\":{\"" + DRAINED + "\":\"" + value + "\"}}}");
    } catch (KubernetesClientException e) {
      log.warn("cannot record node {} as drained on {}: {}", d.nodeId(), names.cluster(), e);
    }
  }

  private CatenaCluster current() {
    return client
        .resources(CatenaCluster.class)
        .inNamespace(names.namespace())
        .withName(names.cluster())
        .get();
  }

  /**
   * Operation events (not the once-a-second progress ticks) become Kubernetes Events, published in
   * order off the journal's lock.
   */
  private void publish(ClusterEvents events, OpsEvent e) {
    if (e.kind() != OpsEvent.Kind.OPERATION
        || e.operation() == null
        || e.message().endsWith(": progress")) {
      return;
    }
    String reason = reason(e.operation().kind(), e.operation().state());
    boolean warning = e.severity() != OpsEvent.Severity.INFO;
    String message = e.message();
    eventsOut.execute(
        () -> {
          if (warning) {
            events.warning(reason, message);
          } else {
            events.normal(reason, message);
          }
        });
  }

  /** {@code RollingRestartRunning}, {@code DrainRefused}, ... */
  static String reason(OperationKind kind, OperationState state) {
    String s = state.name().toLowerCase(Locale.ROOT);
    return CatenaClusterReconciler.camel(kind.id())
        + Character.toUpperCase(s.charAt(0))
        + s.substring(1);
  }

  @Override
  public void close() {
    try {
      watch.close();
    } catch (Exception e) {
      log.debug("closing the event watch", e);
    }
    runtime.close();
    eventsOut.shutdown();
    try {
      eventsOut.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
