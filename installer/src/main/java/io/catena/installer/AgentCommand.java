package io.catena.installer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.agents.AgentConfig;
import io.catena.agents.BackoffPolicy;
import io.catena.agents.ControlPlaneConfig;
import io.catena.agents.HostPort;
import io.catena.agents.NodeAgent;
import io.catena.agents.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catena agent}: runs this node's agent until it is terminated. */
@Command(
    name = "agent",
    description = {
      "Run the node agent: join the control plane, then deploy, run and supervise this node's"
          + " daemons. Blocks; prints its endpoint once serving. Daemons keep running when the agent"
          + " stops, and the next agent on the same --root adopts them."
    },
    mixinStandardHelpOptions = true)
final class AgentCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--root",
      required = true,
      description = "The agent's directory (daemons, logs, pid files).")
  Path root;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:0",
      description =
          "HOST:PORT for the agent's gRPC service (default ${DEFAULT-VALUE}; 0: any free port)."
              + " Plain gRPC on loopback only; elsewhere TLS is required.")
  String listen;

  @Option(
      names = "--control-plane",
      required = true,
      description = "HOST:PORT of the control plane to join.")
  String controlPlane;

  @Option(
      names = "--join-token",
      defaultValue = "${env:CATENA_JOIN_TOKEN}",
      description =
          "The token the control plane issued for this node (default: $CATENA_JOIN_TOKEN).")
  String joinToken;

  @Option(
      names = "--control-plane-ca",
      description =
          "PEM CA certificate to verify the control plane (required unless it is on loopback).")
  Path controlPlaneCa;

  @Option(
      names = "--join-timeout",
      defaultValue = "60",
      description = "Seconds to keep trying to reach the control plane (default ${DEFAULT-VALUE}).")
  long joinTimeoutSeconds;

  @Option(
      names = "--labels",
      split = ",",
      description = "Node labels, e.g. rack=r1,zone=z1 (the failure domain).")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--disk",
      description =
          "A directory to report as one of this node's disks (repeatable; default: mounts).")
  List<Path> disks = List.of();

  @Option(
      names = "--metrics-port",
      defaultValue = "0",
      description = "HTTP port of /metrics on the listen host (default: any free port).")
  int metricsPort;

  @Option(names = "--tls-cert", description = "PEM certificate chain to serve gRPC with.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM (PKCS#8) private key for --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      description = "PEM CA: require client certificates it signed (mutual TLS).")
  Path tlsClientCa;

  @Option(names = "--json", description = "Print the endpoint line as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (joinToken == null || joinToken.isBlank()) {
      throw new IllegalArgumentException("--join-token (or $CATENA_JOIN_TOKEN) is required");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (tlsClientCa != null && tlsCert == null) {
      throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key");
    }
    if (joinTimeoutSeconds <= 0) {
      throw new IllegalArgumentException("--join-timeout must be positive");
    }
    Optional<TlsFiles> tls =
        tlsCert == null
            ? Optional.empty()
            : Optional.of(new TlsFiles(tlsCert, tlsKey, Optional.ofNullable(tlsClientCa)));
    AgentConfig config =
        new AgentConfig(
            root,
            HostPort.parse(listen),
            metricsPort,
            Optional.of(
                new ControlPlaneConfig(
                    HostPort.parse(controlPlane),
                    joinToken,
                    Optional.ofNullable(controlPlaneCa),
                    Duration.ofSeconds(joinTimeoutSeconds))),
            labels,
            disks,
            tls,
            Optional.ofNullable(System.getenv("CATENA_HOME")).map(Path::of),
            BackoffPolicy.DEFAULT,
            BuildVersion.current().version());

    NodeAgent agent = NodeAgent.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "catena-agent-shutdown"));
    String metrics =
        "http://" + new HostPort(agent.endpoint().host(), agent.metricsPort()) + "/metrics";
    var out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("endpoint", agent.endpoint().toString());
      line.put("tls", agent.tls());
      line.put("nodeId", agent.nodeId().orElse(""));
      line.put("metrics", metrics);
      line.put("root", agent.layout().root().toString());
      line.put("pid", ProcessHandle.current().pid());
      out.println(new ObjectMapper().writeValueAsString(line));
    } else {
      out.println(
          "catena agent: node "
              + agent.nodeId().orElse("?")
              + " serving on "
              + agent.endpoint()
              + (agent.tls() ? " (TLS)" : " (plain)")
              + ", metrics "
              + metrics
              + ", root "
              + agent.layout().root());
    }
    out.flush();
    agent.awaitTermination();
    return 0;
  }
}
