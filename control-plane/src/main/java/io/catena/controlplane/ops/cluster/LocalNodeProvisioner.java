package io.catena.controlplane.ops.cluster;

import io.catena.controlplane.driver.ClusterDriver;
import io.catena.controlplane.driver.DaemonObservation;
import io.catena.controlplane.reconcile.ClusterLayout;
import io.catena.controlplane.reconcile.Reconciler;
import io.catena.controlplane.spec.ClusterManifest;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.spec.SpecFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds nodes to a local cluster ({@code catena up}, spec profile {@code local}): node N is a new
 * agent on loopback started the way {@code catena up} starts one (detached with {@code setsid},
 * root {@code DIR/nodes/node-N}, disk {@code DIR/nodes/node-N/disk0}, log {@code agent.log}), so
 * that {@code catena down} finds and stops it. Once the agent has joined, the node is written to
 * the spec file (generation + 1: a restarted control plane and {@code catena up} resume with it),
 * the reconciler takes the new layout, and the node's storage daemon is deployed through the
 * driver. {@code DIR} is the spec file's directory.
 */
public final class LocalNodeProvisioner implements NodeProvisioner {

  private static final Logger log = LoggerFactory.getLogger(LocalNodeProvisioner.class);

  private final Path specFile;
  private final AgentStarter agents;
  private final Reconciler reconciler;
  private final ClusterDriver driver;
  private final Supplier<String> controlPlaneEndpoint;
  private final String joinToken;
  private final Duration joinTimeout;

  public LocalNodeProvisioner(
      Path specFile,
      AgentStarter agents,
      Reconciler reconciler,
      ClusterDriver driver,
      Supplier<String> controlPlaneEndpoint,
      String joinToken,
      Duration joinTimeout) {
    this.specFile = specFile.toAbsolutePath().normalize();
    this.agents = agents;
    this.reconciler = reconciler;
    this.driver = driver;
    this.controlPlaneEndpoint = controlPlaneEndpoint;
    this.joinToken = joinToken;
    this.joinTimeout = joinTimeout;
  }

  @Override
  public synchronized String startStorageNode(int nodeId) {
    ClusterLayout layout = reconciler.context().layout();
    if (!layout.spec().isLocal()) {
      throw new IllegalStateException(
          "nodes of a production cluster come from agents that joined; this control plane only"
              + " starts nodes of local clusters");
    }
    ClusterManifest grown = withNode(layout.manifest(), nodeId, specFile.getParent());
    ClusterLayout ids = layout.withManifest(grown);
    NodeSpec node =
        grown.spec().nodes().stream()
            .filter(n -> ids.nodeId(n) == nodeId)
            .findFirst()
            .orElseThrow();
    agents.ensureAgent(node, controlPlaneEndpoint.get(), joinToken);
    awaitJoined(node.name());
    if (grown != layout.manifest()) {
      writeSpec(grown);
      layout = layout.withManifest(grown);
      reconciler.updateLayout(layout);
      log.info("node {} ({}) added to {}", node.name(), nodeId, specFile);
    }
    DaemonObservation storage = driver.ensureRunning(node.name(), layout.storage(node));
    log.info("storage daemon of {}: {}", node.name(), storage.state());
    return layout.endpoint(node, io.catena.controlplane.driver.DaemonKind.STORAGE);
  }

  /**
   * {@code manifest} with a loopback node of id {@code nodeId} (named {@code node-ID}, its own
   * rack, one disk under {@code dataDir/nodes}, targets per disk as the first node has) and the
   * generation one higher; {@code manifest} itself when it already has that node.
   */
  static ClusterManifest withNode(ClusterManifest manifest, int nodeId, Path dataDir) {
    ClusterSpec spec = manifest.spec();
    ClusterLayout ids = new ClusterLayout(manifest, null);
    for (NodeSpec n : spec.nodes()) {
      if (ids.nodeId(n) == nodeId) {
        return manifest;
      }
    }
    String name = "node-" + nodeId;
    if (spec.nodes().stream().anyMatch(n -> n.name().equals(name))) {
      throw new IllegalStateException("the spec has a node named " + name + " with another id");
    }
    Path disk = dataDir.resolve("nodes").resolve(name).resolve("disk0");
    Integer perDisk = spec.nodes().isEmpty() ? null : spec.nodes().getFirst().targetsPerDisk();
    List<NodeSpec> nodes = new ArrayList<>(spec.nodes());
    nodes.add(
        new NodeSpec(
            name,
            nodeId,
            "127.0.0.1",
            Map.of(spec.failureDomainLabelOrDefault(), "rack-" + nodeId),
            List.of(disk.toString()),
            perDisk));
    ClusterSpec grown =
        new ClusterSpec(
            spec.replicationFactor(),
            spec.chunkSize(),
            spec.stripe(),
            spec.failureDomainLabel(),
            spec.kv(),
            spec.mgmtd(),
            spec.meta(),
            nodes,
            spec.tenants(),
            spec.profile());
    return new ClusterManifest(
        manifest.apiVersion(),
        manifest.kind(),
        new ClusterManifest.ClusterMetadata(manifest.name(), manifest.generation() + 1),
        grown);
  }

  private void awaitJoined(String node) {
    long deadline = System.nanoTime() + joinTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<?> joined = driver.nodes().stream().filter(n -> n.name().equals(node)).findFirst();
      if (joined.isPresent() && agents.running(node)) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the agent of " + node, e);
      }
    }
    throw new IllegalStateException(
        "the agent of "
            + node
            + " did not join within "
            + joinTimeout.toSeconds()
            + " s; see "
            + specFile.getParent().resolve("nodes").resolve(node).resolve("agent.log"));
  }

  private void writeSpec(ClusterManifest manifest) {
    Path tmp = specFile.resolveSibling(specFile.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, SpecFiles.toYaml(manifest));
      Files.move(
          tmp, specFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + specFile + ": " + e.getMessage(), e);
    }
  }
}
