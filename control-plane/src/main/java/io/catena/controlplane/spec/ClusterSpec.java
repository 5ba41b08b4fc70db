package io.catena.controlplane.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What a cluster should be. Unset fields take the defaults documented in docs/cluster-spec.md;
 * {@link SpecValidator} checks every rule. Sizes are strings with a binary unit ({@code 1MiB},
 * {@code 10GiB}) or plain byte counts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterSpec(
    Integer replicationFactor,
    String chunkSize,
    Integer stripe,
    String failureDomainLabel,
    KvSpec kv,
    ReplicasSpec mgmtd,
    ReplicasSpec meta,
    List<NodeSpec> nodes,
    List<TenantSpec> tenants,
    String profile,
    KubernetesSpec kubernetes) {

  public static final int DEFAULT_REPLICATION = 3;
  public static final String DEFAULT_CHUNK_SIZE = "1MiB";
  public static final int DEFAULT_STRIPE = 4;
  public static final String DEFAULT_FAILURE_DOMAIN = "rack";
  public static final String PROFILE_PRODUCTION = "production";
  public static final String PROFILE_LOCAL = "local";

  public ClusterSpec {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
  }

  /** A production-profile spec without a Kubernetes section (agent-managed clusters). */
  public ClusterSpec(
      Integer replicationFactor,
      String chunkSize,
      Integer stripe,
      String failureDomainLabel,
      KvSpec kv,
      ReplicasSpec mgmtd,
      ReplicasSpec meta,
      List<NodeSpec> nodes,
      List<TenantSpec> tenants) {
    this(
        replicationFactor,
        chunkSize,
        stripe,
        failureDomainLabel,
        kv,
        mgmtd,
        meta,
        nodes,
        tenants,
        null,
        null);
  }

  /** A spec without a Kubernetes section (agent-managed clusters), with a profile. */
  public ClusterSpec(
      Integer replicationFactor,
      String chunkSize,
      Integer stripe,
      String failureDomainLabel,
      KvSpec kv,
      ReplicasSpec mgmtd,
      ReplicasSpec meta,
      List<NodeSpec> nodes,
      List<TenantSpec> tenants,
      String profile) {
    this(
        replicationFactor,
        chunkSize,
        stripe,
        failureDomainLabel,
        kv,
        mgmtd,
        meta,
        nodes,
        tenants,
        profile,
        null);
  }

  public int replicationFactorOrDefault() {
    return replicationFactor == null ? DEFAULT_REPLICATION : replicationFactor;
  }

  public long chunkSizeBytes() {
    return ByteSize.parse(chunkSize == null ? DEFAULT_CHUNK_SIZE : chunkSize);
  }

  public int stripeOrDefault() {
    return stripe == null ? DEFAULT_STRIPE : stripe;
  }

  public String failureDomainLabelOrDefault() {
    return failureDomainLabel == null ? DEFAULT_FAILURE_DOMAIN : failureDomainLabel;
  }

  /**
   * {@code production} (the default) or {@code local}: a one-machine cluster ({@code catena up})
   * with second-scale failure detection, small daemon heaps and no fsync.
   */
  public String profileOrDefault() {
    return profile == null ? PROFILE_PRODUCTION : profile;
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isLocal() {
    return PROFILE_LOCAL.equals(profileOrDefault());
  }

  public KvSpec kvOrDefault() {
    return kv == null ? new KvSpec(KvSpec.ROCKSDB, null) : kv;
  }

  public int mgmtdReplicas() {
    return mgmtd == null || mgmtd.replicas() == null ? 1 : mgmtd.replicas();
  }

  public int metaReplicas() {
    return meta == null || meta.replicas() == null ? 1 : meta.replicas();
  }

  /** The KvEngine mgmtd and meta keep their state in. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KvSpec(String engine, String clusterFile) {
    public static final String ROCKSDB = "rocksdb";
    public static final String FDB = "fdb";
  }

  /** How many instances of a daemon kind to run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ReplicasSpec(Integer replicas) {}

  /**
   * A storage node. {@code name} is matched against the joining agent's {@code node} label, then
   * its host name; {@code id} is the node's number in mgmtd (default: position + 1).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NodeSpec(
      String name,
      Integer id,
      String address,
      Map<String, String> labels,
      List<String> disks,
      Integer targetsPerDisk) {

    public static final int DEFAULT_TARGETS_PER_DISK = 4;

    public NodeSpec {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      disks = disks == null ? List.of() : List.copyOf(disks);
    }

    public int targetsPerDiskOrDefault() {
      return targetsPerDisk == null ? DEFAULT_TARGETS_PER_DISK : targetsPerDisk;
    }
  }

  /** A tenant and its quotas. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TenantSpec(String name, QuotaSpec quota) {}

  /**
   * Settings only the Kubernetes operator reads (agent-managed clusters ignore them): the image,
   * how storage pods pick Kubernetes nodes, volume sizes, and the client sidecar. Defaults and
   * rules are in docs/kubernetes.md.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KubernetesSpec(
      String image,
      String imagePullPolicy,
      String storageClassName,
      String diskSize,
      String metadataSize,
      Map<String, String> storageNodeSelector,
      ResourcesSpec daemonResources,
      SidecarSpec sidecar) {}

  /** Kubernetes resource requests and limits ({@code cpu: "2"}, {@code memory: 4Gi}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResourcesSpec(Map<String, String> requests, Map<String, String> limits) {}

  /**
   * The HTTP gateway injected into client pods: its port, resources, and the tenant whose token it
   * uses when the pod does not name one ({@code catena.io/tenant} label).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SidecarSpec(Integer port, String defaultTenant, ResourcesSpec resources) {}

  /** Limits; unset means unlimited. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QuotaSpec(String bytes, Long files) {}
}
