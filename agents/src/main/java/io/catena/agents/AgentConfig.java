package io.catena.agents;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one agent runs.
 *
 * @param root the agent's directory (docs/agent.md: layout)
 * @param listen where NodeAgent is served; plain gRPC only on loopback
 * @param metricsPort HTTP port of /metrics on the listen host (0: any free port)
 * @param controlPlane whom to join at start; empty: run unjoined (tests, tools)
 * @param labels node labels reported at join (failure domain: rack, zone)
 * @param disks paths reported as the node's disks; empty: discovered from the mounts
 * @param tls PEM files to serve with; empty: those issued at an earlier join, or plain on loopback
 * @param catenaHome the distribution daemons are run from when a spec has no command
 * @param restartDefaults back-off and flapping rules for specs that set none
 * @param agentVersion reported in the node facts
 */
public record AgentConfig(
    Path root,
    HostPort listen,
    int metricsPort,
    Optional<ControlPlaneConfig> controlPlane,
    Map<String, String> labels,
    List<Path> disks,
    Optional<TlsFiles> tls,
    Optional<Path> catenaHome,
    BackoffPolicy restartDefaults,
    String agentVersion) {

  public AgentConfig {
    labels = Map.copyOf(labels);
    disks = List.copyOf(disks);
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new IllegalArgumentException("metrics port " + metricsPort + " is out of range");
    }
  }

  /** An unjoined agent on loopback with defaults: what tests and local tools start from. */
  public static AgentConfig local(Path root) {
    return new AgentConfig(
        root,
        new HostPort("127.0.0.1", 0),
        0,
        Optional.empty(),
        Map.of(),
        List.of(),
        Optional.empty(),
        Optional.ofNullable(System.getenv("CATENA_HOME")).map(Path::of),
        BackoffPolicy.DEFAULT,
        "dev");
  }

  public AgentConfig withControlPlane(ControlPlaneConfig config) {
    return new AgentConfig(
        root,
        listen,
        metricsPort,
        Optional.of(config),
        labels,
        disks,
        tls,
        catenaHome,
        restartDefaults,
        agentVersion);
  }

  public AgentConfig withRestartDefaults(BackoffPolicy policy) {
    return new AgentConfig(
        root,
        listen,
        metricsPort,
        controlPlane,
        labels,
        disks,
        tls,
        catenaHome,
        policy,
        agentVersion);
  }

  public AgentConfig withTls(TlsFiles files) {
    return new AgentConfig(
        root,
        listen,
        metricsPort,
        controlPlane,
        labels,
        disks,
        Optional.of(files),
        catenaHome,
        restartDefaults,
        agentVersion);
  }

  public AgentConfig withLabels(Map<String, String> newLabels) {
    return new AgentConfig(
        root,
        listen,
        metricsPort,
        controlPlane,
        newLabels,
        disks,
        tls,
        catenaHome,
        restartDefaults,
        agentVersion);
  }
}
