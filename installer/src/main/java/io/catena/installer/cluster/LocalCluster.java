package io.catena.installer.cluster;

import io.catena.controlplane.spec.ClusterManifest;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.spec.ClusterSpec.TenantSpec;
import io.catena.controlplane.spec.SpecFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A local cluster's data directory ({@code catena up}):
 *
 * <pre>
 * DIR/cluster.yaml                 the spec (written by the first up; edit it before that, or not)
 * DIR/control-plane/               the control plane's state, control-plane.properties, its log
 * DIR/nodes/NODE/                  an agent's root (agent/, daemons/), agent.log
 * DIR/nodes/NODE/disk0/            the node's disk: catena/mgmtd, catena/meta, catena/targets/ID
 * </pre>
 */
final class LocalCluster {

  static final String DEFAULT_TENANT = "default";

  private final Path dir;

  LocalCluster(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path dir() {
    return dir;
  }

  Path specFile() {
    return dir.resolve("cluster.yaml");
  }

  Path controlPlaneDir() {
    return dir.resolve("control-plane");
  }

  Path controlPlaneLog() {
    return controlPlaneDir().resolve("control-plane.log");
  }

  /** The port the control plane listens on, fixed at the first up so agents find it again. */
  Path controlPlanePortFile() {
    return controlPlaneDir().resolve("listen-port");
  }

  Path nodeDir(String node) {
    return dir.resolve("nodes").resolve(node);
  }

  Path diskDir(String node) {
    return nodeDir(node).resolve("disk0");
  }

  Path agentLog(String node) {
    return nodeDir(node).resolve("agent.log");
  }

  boolean exists() {
    return Files.exists(specFile());
  }

  ClusterManifest manifest() {
    return SpecFiles.read(specFile());
  }

  /** A spec of {@code nodes} loopback nodes, each its own rack, with a default tenant. */
  ClusterManifest newManifest(int nodes) {
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      String name = "node-" + i;
      specs.add(
          new NodeSpec(
              name,
              i,
              "127.0.0.1",
              Map.of("rack", "rack-" + i),
              List.of(diskDir(name).toString()),
              4));
    }
    ClusterSpec spec =
        new ClusterSpec(
            Math.min(3, nodes),
            null,
            null,
            null,
            null,
            null,
            null,
            specs,
            List.of(new TenantSpec(DEFAULT_TENANT, null)),
            ClusterSpec.PROFILE_LOCAL);
    return new ClusterManifest(
        ClusterManifest.API_VERSION,
        ClusterManifest.KIND,
        new ClusterManifest.ClusterMetadata("local", 1L),
        spec);
  }

  void writeManifest(ClusterManifest manifest) {
    try {
      Files.createDirectories(dir);
      Files.writeString(specFile(), SpecFiles.toYaml(manifest));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + specFile() + ": " + e.getMessage(), e);
    }
  }

  Optional<ControlPlaneInfo> controlPlane() {
    return ControlPlaneInfo.read(controlPlaneDir());
  }

  /** The running agent of a node: its pid and endpoint from {@code agent/agent.properties}. */
  Optional<AgentInfo> agent(String node) {
    Path file = nodeDir(node).resolve("agent").resolve("agent.properties");
    Properties p = load(file);
    if (p == null) {
      return Optional.empty();
    }
    long pid = Long.parseLong(p.getProperty("pid", "0").strip());
    return Optional.of(new AgentInfo(pid, p.getProperty("endpoint", "").strip()));
  }

  /** The agent's pid with the live process, if it is still an agent on this root. */
  Optional<ProcessHandle> agentProcess(String node) {
    return agent(node)
        .flatMap(a -> LocalProcesses.alive(a.pid(), null))
        .filter(p -> p.info().commandLine().map(c -> c.contains("agent")).orElse(true));
  }

  /** Every daemon pid file under the nodes' agent roots, with the recorded start instant. */
  List<DaemonPid> daemonPids() {
    List<DaemonPid> out = new ArrayList<>();
    Path nodes = dir.resolve("nodes");
    if (!Files.isDirectory(nodes)) {
      return out;
    }
    try (Stream<Path> pidFiles =
        Files.find(nodes, 4, (p, a) -> p.endsWith("pid") && a.isRegularFile())) {
      for (Path f : pidFiles.toList()) {
        if (!f.getParent().getParent().getFileName().toString().equals("daemons")) {
          continue;
        }
        Properties p = load(f);
        if (p == null || p.getProperty("pid") == null) {
          continue;
        }
        String started = p.getProperty("started", "").strip();
        out.add(
            new DaemonPid(
                f.getParent().getFileName().toString(),
                Long.parseLong(p.getProperty("pid").strip()),
                started.isEmpty() ? null : Instant.parse(started)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Properties load(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
      return p;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  record AgentInfo(long pid, String endpoint) {}

  record DaemonPid(String name, long pid, Instant started) {}
}
