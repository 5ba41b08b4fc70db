package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import java.util.Map;

/**
 * The names and labels of everything the operator creates for one cluster. Every object carries
 * {@code catena.io/cluster=<name>} (how events find their cluster) and an owner reference to the
 * CatenaCluster (so deleting the cluster deletes them).
 */
public record ClusterNames(String cluster, String namespace) {

  public static final String CLUSTER_LABEL = "catena.io/cluster";
  public static final String COMPONENT_LABEL = "catena.io/component";
  public static final String CLIENT_LABEL = "catena.io/client";
  public static final String TENANT_LABEL = "catena.io/tenant";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "catena-operator";

  public static final int MGMTD_PORT = 8000;
  public static final int META_PORT = 8001;
  public static final int STORAGE_PORT = 8002;
  public static final int GATEWAY_PORT = 8080;

  public static ClusterNames of(CatenaCluster cluster) {
    return new ClusterNames(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace());
  }

  /** The StatefulSet and its headless Service share this name: {@code demo-storage}. */
  public String daemons(DaemonKind kind) {
    return cluster + "-" + kind.id();
  }

  public String pod(DaemonKind kind, int ordinal) {
    return daemons(kind) + "-" + ordinal;
  }

  /** The stable DNS name of a daemon pod, through its headless Service. */
  public String podHost(DaemonKind kind, int ordinal) {
    return pod(kind, ordinal) + "." + daemons(kind) + "." + namespace + ".svc";
  }

  /** The mgmtd Service's name: every mgmtd pod answers behind it. */
  public String mgmtdService() {
    return daemons(DaemonKind.MGMTD) + "." + namespace + ".svc";
  }

  /** The meta Service's name: every meta pod answers behind it. */
  public String metaService() {
    return daemons(DaemonKind.META) + "." + namespace + ".svc";
  }

  public String configMap() {
    return cluster + "-config";
  }

  public String tenantSecret(String tenant) {
    return cluster + "-tenant-" + tenant;
  }

  public String fdbCluster() {
    return cluster + "-fdb";
  }

  /** The ConfigMap the FDB operator writes the cluster file into ({@code cluster-file} key). */
  public String fdbConfigMap() {
    return fdbCluster() + "-config";
  }

  public static int port(DaemonKind kind) {
    return switch (kind) {
      case MGMTD -> MGMTD_PORT;
      case META -> META_PORT;
      case STORAGE -> STORAGE_PORT;
      case GATEWAY -> GATEWAY_PORT;
    };
  }

  public Map<String, String> labels() {
    return Map.of(CLUSTER_LABEL, cluster, MANAGED_BY, OPERATOR);
  }

  public Map<String, String> labels(DaemonKind kind) {
    return Map.of(CLUSTER_LABEL, cluster, COMPONENT_LABEL, kind.id(), MANAGED_BY, OPERATOR);
  }

  /** Labels a selector may use (a StatefulSet's selector is immutable: keep it small). */
  public Map<String, String> selector(DaemonKind kind) {
    return Map.of(CLUSTER_LABEL, cluster, COMPONENT_LABEL, kind.id());
  }
}
