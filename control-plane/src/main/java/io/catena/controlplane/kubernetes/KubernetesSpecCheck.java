package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.spec.ClusterManifest;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.KvSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.spec.SpecProblem;
import io.catena.controlplane.spec.SpecValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules a CatenaCluster must follow: every rule of {@link SpecValidator} on the spec with the
 * Kubernetes defaults applied, the Kubernetes-only rules, and, on update, the changes the operator
 * cannot carry out. Problems name the field ({@code spec.nodes[1].disks}), as kubectl shows them.
 */
public final class KubernetesSpecCheck {

  /** Where the FDB operator's cluster file is mounted in mgmtd and meta pods. */
  public static final String FDB_CLUSTER_FILE = "/etc/foundationdb/fdb.cluster";

  private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

  private KubernetesSpecCheck() {}

  /**
   * The spec as the operator runs it: node addresses are the storage pods' DNS names and, with
   * engine fdb, the cluster file is the one the FDB operator publishes.
   */
  public static ClusterSpec withDefaults(ClusterNames names, ClusterSpec spec) {
    List<NodeSpec> nodes = new ArrayList<>();
    for (int i = 0; i < spec.nodes().size(); i++) {
      NodeSpec n = spec.nodes().get(i);
      if (n != null && n.address() == null) {
        n =
            new NodeSpec(
                n.name(),
                n.id(),
                names.podHost(DaemonKind.STORAGE, i),
                n.labels(),
                n.disks(),
                n.targetsPerDisk());
      }
      nodes.add(n);
    }
    KvSpec kv = spec.kv();
    if (kv != null && KvSpec.FDB.equals(kv.engine()) && kv.clusterFile() == null) {
      kv = new KvSpec(KvSpec.FDB, FDB_CLUSTER_FILE);
    }
    return new ClusterSpec(
        spec.replicationFactor(),
        spec.chunkSize(),
        spec.stripe(),
        spec.failureDomainLabel(),
        kv,
        spec.mgmtd(),
        spec.meta(),
        nodes,
        spec.tenants(),
        spec.profile(),
        spec.kubernetes());
  }

  /** Every problem of a new or changed resource. */
  public static List<SpecProblem> problems(CatenaCluster cluster) {
    List<SpecProblem> problems = new ArrayList<>();
    ClusterSpec spec = cluster.getSpec();
    String name = cluster.getMetadata() == null ? null : cluster.getMetadata().getName();
    if (spec == null) {
      problems.add(new SpecProblem("spec", "is required"));
      return problems;
    }
    ClusterNames names =
        new ClusterNames(name == null ? "" : name, cluster.getMetadata().getNamespace());
    for (int i = 0; i < spec.nodes().size(); i++) {
      NodeSpec n = spec.nodes().get(i);
      if (n != null && n.address() != null) {
        problems.add(
            new SpecProblem(
                "spec.nodes[" + i + "].address",
                "is assigned by the operator on Kubernetes ("
                    + names.podHost(DaemonKind.STORAGE, i)
                    + "); leave it out"));
      }
    }
    ClusterSpec defaulted = withDefaults(names, spec);
    problems.addAll(
        SpecValidator.validate(
            new ClusterManifest(
                ClusterManifest.API_VERSION,
                ClusterManifest.KIND,
                new ClusterManifest.ClusterMetadata(name, null),
                defaulted)));
    if (name != null && name.length() > 40) {
      problems.add(
          new SpecProblem(
              "metadata.name",
              "must be at most 40 characters on Kubernetes (pod and volume names add to it)"));
    }
    kubernetesRules(defaulted, problems);
    return problems;
  }

  /** The problems of changing {@code before} into {@code after}, besides those of {@code after}. */
  public static List<SpecProblem> changeProblems(ClusterSpec before, ClusterSpec after) {
    List<SpecProblem> problems = new ArrayList<>();
    if (before == null || after == null) {
      return problems;
    }
    if (after.nodes().size() < before.nodes().size()) {
      problems.add(
          new SpecProblem(
              "spec.nodes",
              "removing storage nodes ("
                  + before.nodes().size()
                  + " → "
                  + after.nodes().size()
                  + ") is not done by the operator: drain them with a drain plan first"));
    }
    int common = Math.min(before.nodes().size(), after.nodes().size());
    for (int i = 0; i < common; i++) {
      NodeSpec b = before.nodes().get(i);
      NodeSpec a = after.nodes().get(i);
      if (b != null && a != null && b.name() != null && !b.name().equals(a.name())) {
        problems.add(
            new SpecProblem(
                "spec.nodes[" + i + "].name",
                "cannot change ('" + b.name() + "' is storage pod " + i + "); append new nodes"));
      }
    }
    if (before.replicationFactorOrDefault() != after.replicationFactorOrDefault()) {
      problems.add(
          new SpecProblem("spec.replicationFactor", "cannot change once the cluster exists"));
    }
    if (!engine(before).equals(engine(after))) {
      problems.add(new SpecProblem("spec.kv.engine", "cannot change once the cluster exists"));
    }
    if (!java.util.Objects.equals(before.chunkSize(), after.chunkSize())) {
      problems.add(new SpecProblem("spec.chunkSize", "cannot change once the cluster exists"));
    }
    return problems;
  }

  private static String engine(ClusterSpec spec) {
    String engine = spec.kvOrDefault().engine();
    return engine == null ? KvSpec.ROCKSDB : engine;
  }

  private static void kubernetesRules(ClusterSpec spec, List<SpecProblem> problems) {
    List<NodeSpec> nodes = spec.nodes();
    if (!nodes.isEmpty() && nodes.getFirst() != null) {
      int disks = nodes.getFirst().disks().size();
      for (int i = 1; i < nodes.size(); i++) {
        NodeSpec n = nodes.get(i);
        if (n != null && n.disks().size() != disks) {
          problems.add(
              new SpecProblem(
                  "spec.nodes[" + i + "].disks",
                  "every node needs "
                      + disks
                      + " disks like spec.nodes[0] (a StatefulSet gives each pod the same"
                      + " volumes)"));
        }
      }
    }
    ClusterSpec.KubernetesSpec k = spec.kubernetes();
    if (k == null) {
      return;
    }
    size("spec.kubernetes.diskSize", k.diskSize(), problems);
    size("spec.kubernetes.metadataSize", k.metadataSize(), problems);
    if (k.imagePullPolicy() != null && !PULL_POLICIES.contains(k.imagePullPolicy())) {
      problems.add(
          new SpecProblem(
              "spec.kubernetes.imagePullPolicy", "must be Always, IfNotPresent or Never"));
    }
    if (k.image() != null && k.image().isBlank()) {
      problems.add(new SpecProblem("spec.kubernetes.image", "must not be blank"));
    }
    if (k.sidecar() != null) {
      Integer port = k.sidecar().port();
      if (port != null && (port < 1 || port > 65535)) {
        problems.add(new SpecProblem("spec.kubernetes.sidecar.port", "must be in 1..65535"));
      }
      String tenant = k.sidecar().defaultTenant();
      if (tenant != null
          && spec.tenants().stream().noneMatch(t -> t != null && tenant.equals(t.name()))) {
        problems.add(
            new SpecProblem(
                "spec.kubernetes.sidecar.defaultTenant",
                "'" + tenant + "' is not one of spec.tenants"));
      }
    }
  }

  private static void size(String path, String value, List<SpecProblem> problems) {
    if (value == null) {
      return;
    }
    try {
      if (KubernetesQuantities.bytes(value) <= 0) {
        problems.add(new SpecProblem(path, "must be > 0"));
      }
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(path, e.getMessage()));
    }
  }
}
