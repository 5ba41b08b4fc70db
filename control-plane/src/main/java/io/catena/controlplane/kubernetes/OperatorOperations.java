package io.catena.controlplane.kubernetes;

import io.catena.controlplane.ops.OpsSettings;
import io.catena.controlplane.ops.cluster.ClusterAdmin;
import io.catena.controlplane.ops.cluster.GrpcClusterAdmin;
import io.catena.controlplane.ops.cluster.ReplicaHosts;
import io.catena.controlplane.ops.cluster.StorageReplicaHosts;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.protocol.security.TransportSecurity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The operations runtimes of every CatenaCluster the operator watches, one per cluster, started
 * when the reconciler first sees the cluster or an Operations call first names it, and closed once
 * the cluster is gone. Clusters are named {@code namespace/name}.
 */
public final class OperatorOperations implements AutoCloseable {

  /**
   * How clusters' operations run.
   *
   * @param dataDir audit logs go under {@code dataDir/<namespace>/<name>-<uid>}
   * @param admin mgmtd's admin API for a cluster
   * @param hosts the storage daemons' side of replica moves
   * @param settings poll interval and step timeout (the failure-domain label comes from the spec)
   * @param podReadyTimeout how long a restarted or added pod may take to become Ready
   * @param selfHealing whether self-healing starts active (else paused)
   */
  public record Config(
      Path dataDir,
      Function<ClusterNames, ClusterAdmin> admin,
      ReplicaHosts hosts,
      OpsSettings settings,
      Duration podReadyTimeout,
      boolean selfHealing) {

    /** In a Kubernetes cluster: mgmtd through its Service, storage daemons by pod DNS name. */
    public static Config inCluster(Path dataDir) {
      return new Config(
          dataDir,
          names ->
              new GrpcClusterAdmin(
                  new MgmtdClient(
                      List.of(names.mgmtdService() + ":" + ClusterNames.MGMTD_PORT),
                      TransportSecurity.insecurePlaintext())),
          StorageReplicaHosts.daemonCreated(TransportSecurity.insecurePlaintext()),
          OpsSettings.defaults(),
          Duration.ofMinutes(10),
          true);
    }
  }

  private final KubernetesClient client;
  private final Set<String> namespaces;
  private final Config config;
  private final Clock clock;
  private final Map<String, ClusterOperations> clusters = new ConcurrentHashMap<>();

  /**
   * @param namespaces the namespaces the operator watches (empty: all)
   */
  public OperatorOperations(
      KubernetesClient client, Set<String> namespaces, Config config, Clock clock) {
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
    this.config = config;
    this.clock = clock;
  }

  /**
   * The operations of cluster {@code namespace/name}; empty when no such CatenaCluster exists.
   *
   * @throws IllegalArgumentException when the name is not {@code namespace/name} or names a
   *     namespace the operator does not watch
   */
  public Optional<ClusterOperations> forCluster(String key) {
    String[] parts = key == null ? new String[0] : key.strip().split("/", -1);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      throw new IllegalArgumentException(
          "a cluster is named <namespace>/<name>, got '" + key + "'");
    }
    if (!namespaces.isEmpty() && !namespaces.contains(parts[0])) {
      throw new IllegalArgumentException(
          "this operator watches namespaces " + namespaces + ", not '" + parts[0] + "'");
    }
    CatenaCluster cluster =
        client.resources(CatenaCluster.class).inNamespace(parts[0]).withName(parts[1]).get();
    if (cluster == null) {
      ClusterOperations gone = clusters.remove(parts[0] + "/" + parts[1]);
      if (gone != null) {
        gone.close();
      }
      return Optional.empty();
    }
    return Optional.of(of(cluster));
  }

  /** The operations of a cluster the reconciler is looking at, started on first use. */
  ClusterOperations of(CatenaCluster cluster) {
    String key = cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    String uid = cluster.getMetadata().getUid();
    ClusterOperations ops =
        clusters.compute(
            key,
            (k, old) -> {
              if (old != null && java.util.Objects.equals(old.uid(), uid)) {
                return old;
              }
              if (old != null) {
                old.close(); // the cluster was deleted and created again
              }
              return new ClusterOperations(client, cluster, config, clock);
            });
    return ops;
  }

  @Override
  public void close() {
    clusters.values().forEach(ClusterOperations::close);
    clusters.clear();
  }
}
