package io.catena.installer.cluster;

import io.catena.controlplane.ops.cluster.AgentStarter;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the agents of nodes a scale-out adds to a local cluster, exactly as {@code catena up}
 * starts its agents (detached, root and disk under the data directory), so {@code catena down}
 * stops them.
 */
final class LocalAgentStarter implements AgentStarter {

  private static final Logger log = LoggerFactory.getLogger(LocalAgentStarter.class);

  private final LocalCluster cluster;
  private final Path launcher;

  LocalAgentStarter(LocalCluster cluster, Path launcher) {
    this.cluster = cluster;
    this.launcher = launcher;
  }

  @Override
  public void ensureAgent(NodeSpec node, String controlPlane, String joinToken) {
    if (running(node.name())) {
      return;
    }
    String rack = node.labels().getOrDefault("rack", "rack-" + node.name());
    try {
      Process p =
          UpCommand.startAgent(
              cluster,
              launcher,
              node.name(),
              rack,
              controlPlane,
              joinToken,
              ControlPlaneWire.hasCa(cluster.controlPlaneDir())
                  ? java.util.Optional.of(ControlPlaneWire.caCertificate(cluster.controlPlaneDir()))
                  : java.util.Optional.empty());
      log.info("started the agent of {} (pid {})", node.name(), p.pid());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the agent of " + node.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean running(String node) {
    return cluster.agentProcess(node).isPresent();
  }
}
