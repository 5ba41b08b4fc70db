package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.DaemonDeployment;
import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.spec.ClusterManifest;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.topology.Disk;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.placement.ChainTableGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the spec puts everything, computed from the spec alone (pure apart from the port book):
 * mgmtd on the first {@code mgmtd.replicas} nodes, meta on the first {@code meta.replicas}, a
 * storage daemon on every node, {@code targetsPerDisk} targets on each disk with the conventional
 * ids ({@link TargetId#of(NodeId, int, int)}), and the number of chains the first chain table will
 * have. A daemon's state lives under its node's first disk ({@code DISK/catena/mgmtd}, {@code
 * DISK/catena/meta}); targets under {@code DISK/catena/targets/ID}.
 */
public final class ClusterLayout {

  /** The one chain table a new cluster gets; scale-out extends it. */
  public static final int CHAIN_TABLE = 1;

  private static final String LOCAL_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

  private final ClusterManifest manifest;
  private final ClusterSpec spec;
  private final PortBook ports;

  public ClusterLayout(ClusterManifest manifest, PortBook ports) {
    this.manifest = manifest;
    this.spec = manifest.spec();
    this.ports = ports;
  }

  /** The same cluster (same port book) with another manifest: nodes added by a scale-out. */
  public ClusterLayout withManifest(ClusterManifest other) {
    return new ClusterLayout(other, ports);
  }

  public ClusterManifest manifest() {
    return manifest;
  }

  public ClusterSpec spec() {
    return spec;
  }

  public List<NodeSpec> nodes() {
    return spec.nodes();
  }

  public int nodeId(NodeSpec node) {
    return node.id() != null ? node.id() : spec.nodes().indexOf(node) + 1;
  }

  public NodeSpec node(String name) {
    return spec.nodes().stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node '" + name + "' in the spec"));
  }

  public List<NodeSpec> mgmtdNodes() {
    return spec.nodes().subList(0, Math.min(spec.mgmtdReplicas(), spec.nodes().size()));
  }

  public List<NodeSpec> metaNodes() {
    return spec.nodes().subList(0, Math.min(spec.metaReplicas(), spec.nodes().size()));
  }

  public String endpoint(NodeSpec node, DaemonKind kind) {
    return node.address() + ":" + ports.port(node.name(), node.address(), kind.id());
  }

  public List<String> mgmtdEndpoints() {
    return mgmtdNodes().stream().map(n -> endpoint(n, DaemonKind.MGMTD)).toList();
  }

  public String metaEndpoint() {
    return endpoint(metaNodes().getFirst(), DaemonKind.META);
  }

  /** The file meta writes its bootstrap admin token to, on the first meta node's first disk. */
  public Path metaAdminTokenFile() {
    return stateDir(metaNodes().getFirst(), DaemonKind.META).resolve("admin.token");
  }

  Path stateDir(NodeSpec node, DaemonKind kind) {
    return Path.of(node.disks().getFirst()).resolve("catena").resolve(kind.id());
  }

  public DaemonDeployment mgmtd(NodeSpec node) {
    Path dir = stateDir(node, DaemonKind.MGMTD);
    String kvUri = kvUri(dir);
    int port = ports.port(node.name(), node.address(), DaemonKind.MGMTD.id());
    return new DaemonDeployment(
        DaemonKind.MGMTD.id(),
        DaemonKind.MGMTD,
        List.of(
            "daemon",
            "mgmtd",
            "--id",
            "mgmtd-" + node.name(),
            "--kv",
            kvUri,
            "--listen",
            node.address() + ":" + port,
            "--timing",
            spec.isLocal() ? "local" : "production"),
        node.address(),
        port,
        jvm("-Xmx128m"),
        List.of(dir.toString()));
  }

  public DaemonDeployment meta(NodeSpec node) {
    Path dir = stateDir(node, DaemonKind.META);
    String kvUri = kvUri(dir);
    int port = ports.port(node.name(), node.address(), DaemonKind.META.id());
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "daemon",
            "meta",
            "--listen",
            node.address() + ":" + port,
            "--kv",
            kvUri,
            "--admin-token-file",
            dir.resolve("admin.token").toString()));
    // Chain tables (and the storage routing that chunk GC needs) come from mgmtd, so a table
    // extended by a scale-out reaches meta without a redeploy.
    args.addAll(List.of("--mgmtd", String.join(",", mgmtdEndpoints())));
    return new DaemonDeployment(
        DaemonKind.META.id(),
        DaemonKind.META,
        args,
        node.address(),
        port,
        jvm("-Xmx192m"),
        List.of(dir.toString()));
  }

  public DaemonDeployment storage(NodeSpec node) {
    int port = ports.port(node.name(), node.address(), DaemonKind.STORAGE.id());
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "daemon",
            "storage",
            "--node-id",
            Integer.toString(nodeId(node)),
            "--mgmtd",
            String.join(",", mgmtdEndpoints()),
            "--listen",
            node.address() + ":" + port,
            "--meta",
            metaEndpoint(),
            "--fsync",
            spec.isLocal() ? "never" : "always"));
    for (String disk : node.disks()) {
      args.addAll(List.of("--data", disk));
    }
    return new DaemonDeployment(
        DaemonKind.STORAGE.id(),
        DaemonKind.STORAGE,
        args,
        node.address(),
        port,
        jvm("-Xmx256m"),
        node.disks());
  }

  /** The node the HTTP gateway runs on: the first meta node. */
  public NodeSpec gatewayNode() {
    return metaNodes().getFirst();
  }

  public String gatewayEndpoint() {
    return endpoint(gatewayNode(), DaemonKind.GATEWAY);
  }

  public DaemonDeployment gateway(NodeSpec node) {
    int port = ports.port(node.name(), node.address(), DaemonKind.GATEWAY.id());
    return new DaemonDeployment(
        DaemonKind.GATEWAY.id(),
        DaemonKind.GATEWAY,
        List.of(
            "daemon",
            "gateway",
            "--mgmtd",
            String.join(",", mgmtdEndpoints()),
            "--meta",
            metaEndpoint(),
            "--listen",
            node.address() + ":" + port),
        node.address(),
        port,
        jvm("-Xmx192m"),
        List.of());
  }

  /** The spec's FoundationDB cluster, else an embedded RocksDB in the daemon's state directory. */
  private String kvUri(Path stateDir) {
    ClusterSpec.KvSpec kv = spec.kvOrDefault();
    return ClusterSpec.KvSpec.FDB.equals(kv.engine())
        ? "fdb:" + kv.clusterFile()
        : "rocksdb:" + stateDir.resolve("kv");
  }

  private String jvm(String heap) {
    return spec.isLocal() ? heap + " " + LOCAL_OPTS : "";
  }

  /** The targets of a node, by disk then slot. */
  public List<TargetId> targets(NodeSpec node) {
    List<TargetId> out = new ArrayList<>();
    for (int d = 0; d < node.disks().size(); d++) {
      for (int s = 0; s < node.targetsPerDiskOrDefault(); s++) {
        out.add(TargetId.of(NodeId.of(nodeId(node)), d, s));
      }
    }
    return out;
  }

  /** The disk index of a target id made by {@link #targets}. */
  public static int diskOf(TargetId target) {
    return (int) (target.value() / TargetId.MAX_SLOTS_PER_DISK % TargetId.MAX_DISKS);
  }

  /** The topology nodes of the spec (storage address, labels, disks of {@code diskBytes} each). */
  public List<Node> topologyNodes(long diskBytes) {
    List<Node> out = new ArrayList<>();
    for (NodeSpec n : spec.nodes()) {
      List<Disk> disks = new ArrayList<>();
      for (int d = 0; d < n.disks().size(); d++) {
        disks.add(new Disk(d, diskBytes));
      }
      // The node label carries the node's name, which its certificate names too: mgmtd accepts
      // a storage heartbeat for this node only from that certificate.
      Map<String, String> labels = new java.util.TreeMap<>(labelsWithDomain(n));
      labels.putIfAbsent("node", n.name());
      out.add(
          new Node(
              NodeId.of(nodeId(n)),
              n.address() + ":" + ports.port(n.name(), n.address(), DaemonKind.STORAGE.id()),
              labels,
              disks));
    }
    return out;
  }

  /** A node's labels; a node without the failure-domain label is a domain of its own. */
  public Map<String, String> labelsWithDomain(NodeSpec node) {
    Map<String, String> labels = new java.util.TreeMap<>(node.labels());
    labels.putIfAbsent(spec.failureDomainLabelOrDefault(), "node-" + node.name());
    return labels;
  }

  /** How many chains the first chain table gets over every spec target. */
  public int chainCount() {
    List<Node> nodes = topologyNodes(1L << 40);
    Map<NodeId, List<Target>> spare =
        spec.nodes().stream()
            .collect(
                Collectors.toMap(
                    n -> NodeId.of(nodeId(n)),
                    n ->
                        targets(n).stream()
                            .map(t -> Target.serving(t, NodeId.of(nodeId(n)), diskOf(t), 1L << 30))
                            .toList()));
    try {
      return ChainTableGenerator.design(
              nodes,
              spare::get,
              1,
              spec.replicationFactorOrDefault(),
              spec.failureDomainLabelOrDefault(),
              seed())
          .chains()
          .size();
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  /** The generator's seed: fixed per cluster name, so a regenerated table is the same table. */
  public long seed() {
    return manifest.name().hashCode();
  }
}
