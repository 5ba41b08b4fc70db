package io.catena.controlplane.spec;

import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.spec.ClusterSpec.TenantSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a manifest and returns every problem, each naming its field path and why. */
public final class SpecValidator {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final long MIN_CHUNK = 4L << 10;
  private static final long MAX_CHUNK = 64L << 20;
  private static final int MAX_TARGETS_PER_DISK = 1000;

  private SpecValidator() {}

  /** Throws a {@link SpecValidationException} listing every problem, or returns the manifest. */
  public static ClusterManifest requireValid(ClusterManifest manifest) {
    List<SpecProblem> problems = validate(manifest);
    if (!problems.isEmpty()) {
      throw new SpecValidationException(problems);
    }
    return manifest;
  }

  public static List<SpecProblem> validate(ClusterManifest manifest) {
    List<SpecProblem> problems = new ArrayList<>();
    if (manifest.apiVersion() != null
        && !ClusterManifest.API_VERSION.equals(manifest.apiVersion())) {
      problems.add(
          new SpecProblem("apiVersion", "must be " + ClusterManifest.API_VERSION + " if given"));
    }
    if (manifest.kind() != null && !ClusterManifest.KIND.equals(manifest.kind())) {
      problems.add(new SpecProblem("kind", "must be " + ClusterManifest.KIND + " if given"));
    }
    String name = manifest.name();
    if (name == null || name.isBlank()) {
      problems.add(new SpecProblem("metadata.name", "is required"));
    } else if (!DNS_LABEL.matcher(name).matches()) {
      problems.add(
          new SpecProblem(
              "metadata.name",
              "must be 1-63 of a-z, 0-9 and '-', starting and ending alphanumeric"));
    }
    if (manifest.metadata() != null
        && manifest.metadata().generation() != null
        && manifest.metadata().generation() < 1) {
      problems.add(new SpecProblem("metadata.generation", "must be >= 1"));
    }
    if (manifest.spec() == null) {
      problems.add(new SpecProblem("spec", "is required"));
      return problems;
    }
    validateSpec(manifest.spec(), problems);
    return problems;
  }

  private static void validateSpec(ClusterSpec spec, List<SpecProblem> problems) {
    int nodeCount = spec.nodes().size();
    int replication = spec.replicationFactorOrDefault();
    if (replication < 1) {
      problems.add(new SpecProblem("spec.replicationFactor", "must be >= 1"));
    }
    if (spec.chunkSize() != null) {
      try {
        long chunk = ByteSize.parse(spec.chunkSize());
        if (chunk < MIN_CHUNK || chunk > MAX_CHUNK || Long.bitCount(chunk) != 1) {
          problems.add(
              new SpecProblem("spec.chunkSize", "must be a power of two between 4KiB and 64MiB"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(new SpecProblem("spec.chunkSize", e.getMessage()));
      }
    }
    if (spec.stripeOrDefault() < 1) {
      problems.add(new SpecProblem("spec.stripe", "must be >= 1"));
    }
    if (spec.failureDomainLabel() != null && spec.failureDomainLabel().isBlank()) {
      problems.add(new SpecProblem("spec.failureDomainLabel", "must not be blank"));
    }
    if (!ClusterSpec.PROFILE_PRODUCTION.equals(spec.profileOrDefault())
        && !ClusterSpec.PROFILE_LOCAL.equals(spec.profileOrDefault())) {
      problems.add(
          new SpecProblem(
              "spec.profile", "must be production or local, not '" + spec.profile() + "'"));
    }
    validateKv(spec, problems);
    validateReplicas("spec.mgmtd.replicas", spec.mgmtdReplicas(), nodeCount, problems);
    validateReplicas("spec.meta.replicas", spec.metaReplicas(), nodeCount, problems);
    if (spec.nodes().isEmpty()) {
      problems.add(new SpecProblem("spec.nodes", "must list at least one node"));
    }
    validateNodes(spec, problems);
    if (replication >= 1 && !spec.nodes().isEmpty()) {
      Set<String> domains = new HashSet<>();
      String label = spec.failureDomainLabelOrDefault();
      for (NodeSpec node : spec.nodes()) {
        domains.add(node.labels().getOrDefault(label, "node:" + node.name()));
      }
      if (domains.size() < replication) {
        problems.add(
            new SpecProblem(
                "spec.replicationFactor",
                replication
                    + " replicas need nodes in "
                    + replication
                    + " different '"
                    + label
                    + "' failure domains; the spec has "
                    + domains.size()));
      }
    }
    validateTenants(spec.tenants(), problems);
  }

  private static void validateKv(ClusterSpec spec, List<SpecProblem> problems) {
    ClusterSpec.KvSpec kv = spec.kvOrDefault();
    String engine = kv.engine() == null ? ClusterSpec.KvSpec.ROCKSDB : kv.engine();
    switch (engine) {
      case ClusterSpec.KvSpec.ROCKSDB -> {
        if (kv.clusterFile() != null) {
          problems.add(new SpecProblem("spec.kv.clusterFile", "is only for engine fdb"));
        }
        if (spec.mgmtdReplicas() > 1) {
          problems.add(
              new SpecProblem(
                  "spec.mgmtd.replicas",
                  "must be 1 with engine rocksdb (a RocksDB store is single-process; use fdb for"
                      + " standbys)"));
        }
        if (spec.metaReplicas() > 1) {
          problems.add(
              new SpecProblem(
                  "spec.meta.replicas",
                  "must be 1 with engine rocksdb (a RocksDB store is single-process; use fdb)"));
        }
      }
      case ClusterSpec.KvSpec.FDB -> {
        if (kv.clusterFile() == null || kv.clusterFile().isBlank()) {
          problems.add(
              new SpecProblem("spec.kv.clusterFile", "is required with engine fdb (fdb.cluster)"));
        }
      }
      default ->
          problems.add(
              new SpecProblem("spec.kv.engine", "must be rocksdb or fdb, not '" + engine + "'"));
    }
  }

  private static void validateReplicas(
      String path, int replicas, int nodes, List<SpecProblem> problems) {
    if (replicas < 1) {
      problems.add(new SpecProblem(path, "must be >= 1"));
    } else if (nodes > 0 && replicas > nodes) {
      problems.add(
          new SpecProblem(
              path, "must be at most the number of nodes (" + nodes + "), got " + replicas));
    }
  }

  private static void validateNodes(ClusterSpec spec, List<SpecProblem> problems) {
    Map<String, Integer> names = new HashMap<>();
    Map<Integer, Integer> ids = new HashMap<>();
    for (int i = 0; i < spec.nodes().size(); i++) {
      NodeSpec node = spec.nodes().get(i);
      String at = "spec.nodes[" + i + "]";
      if (node == null) {
        problems.add(new SpecProblem(at, "must not be empty"));
        continue;
      }
      if (node.name() == null || node.name().isBlank()) {
        problems.add(new SpecProblem(at + ".name", "is required"));
      } else if (!DNS_LABEL.matcher(node.name()).matches()) {
        problems.add(
            new SpecProblem(
                at + ".name",
                "must be 1-63 of a-z, 0-9 and '-', starting and ending alphanumeric"));
      } else {
        Integer first = names.putIfAbsent(node.name(), i);
        if (first != null) {
          problems.add(
              new SpecProblem(
                  at + ".name",
                  "'" + node.name() + "' is already used by spec.nodes[" + first + "]"));
        }
      }
      int id = node.id() == null ? i + 1 : node.id();
      if (id < 1 || id > 4000) {
        problems.add(new SpecProblem(at + ".id", "must be in 1..4000, got " + id));
      } else {
        Integer first = ids.putIfAbsent(id, i);
        if (first != null) {
          problems.add(
              new SpecProblem(
                  at + ".id",
                  id
                      + " is already used by spec.nodes["
                      + first
                      + "] (ids default to position + 1)"));
        }
      }
      if (node.address() == null || node.address().isBlank()) {
        problems.add(new SpecProblem(at + ".address", "is required (the host daemons listen on)"));
      } else if (node.address().contains(":") && !node.address().startsWith("[")) {
        problems.add(
            new SpecProblem(at + ".address", "must be a host without a port (ports are assigned)"));
      }
      if (node.disks().isEmpty()) {
        problems.add(new SpecProblem(at + ".disks", "must not be empty"));
      }
      Set<String> seen = new HashSet<>();
      for (int d = 0; d < node.disks().size(); d++) {
        String disk = node.disks().get(d);
        String diskAt = at + ".disks[" + d + "]";
        if (disk == null || disk.isBlank()) {
          problems.add(new SpecProblem(diskAt, "must be a directory path"));
        } else if (!Path.of(disk).isAbsolute()) {
          problems.add(new SpecProblem(diskAt, "must be an absolute path, got '" + disk + "'"));
        } else if (!seen.add(Path.of(disk).normalize().toString())) {
          problems.add(new SpecProblem(diskAt, "'" + disk + "' is listed twice"));
        }
      }
      int targets = node.targetsPerDiskOrDefault();
      if (targets < 1 || targets > MAX_TARGETS_PER_DISK) {
        problems.add(
            new SpecProblem(
                at + ".targetsPerDisk",
                "must be in 1.." + MAX_TARGETS_PER_DISK + ", got " + targets));
      }
    }
  }

  private static void validateTenants(List<TenantSpec> tenants, List<SpecProblem> problems) {
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < tenants.size(); i++) {
      TenantSpec tenant = tenants.get(i);
      String at = "spec.tenants[" + i + "]";
      if (tenant == null) {
        problems.add(new SpecProblem(at, "must not be empty"));
        continue;
      }
      if (tenant.name() == null || tenant.name().isBlank()) {
        problems.add(new SpecProblem(at + ".name", "is required"));
      } else if (!DNS_LABEL.matcher(tenant.name()).matches()) {
        problems.add(
            new SpecProblem(
                at + ".name",
                "must be 1-63 of a-z, 0-9 and '-', starting and ending alphanumeric"));
      } else {
        Integer first = names.putIfAbsent(tenant.name(), i);
        if (first != null) {
          problems.add(
              new SpecProblem(
                  at + ".name",
                  "'" + tenant.name() + "' is already used by spec.tenants[" + first + "]"));
        }
      }
      if (tenant.quota() != null) {
        if (tenant.quota().bytes() != null) {
          try {
            if (ByteSize.parse(tenant.quota().bytes()) <= 0) {
              problems.add(new SpecProblem(at + ".quota.bytes", "must be > 0"));
            }
          } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem(at + ".quota.bytes", e.getMessage()));
          }
        }
        if (tenant.quota().files() != null && tenant.quota().files() <= 0) {
          problems.add(new SpecProblem(at + ".quota.files", "must be > 0"));
        }
      }
    }
  }
}
