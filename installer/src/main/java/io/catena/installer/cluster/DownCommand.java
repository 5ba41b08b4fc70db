package io.catena.installer.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.protocol.agent.DaemonKind;
import io.catena.protocol.agent.DaemonState;
import io.catena.protocol.agent.DaemonStatus;
import io.catena.protocol.agent.NodeAgentGrpc;
import io.catena.protocol.agent.StatusRequest;
import io.catena.protocol.agent.StopRequest;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catena down}: stops a local cluster and leaves no process behind: the control plane first
 * (so nothing restarts what is being stopped), then each node's daemons through its agent (storage,
 * then meta, then mgmtd), then the agents; any daemon still alive after that (an agent that did not
 * answer) is ended by the pid its agent recorded. Data is kept; {@code catena up} resumes.
 */
@Command(
    name = "down",
    description = "Stop the local cluster in --data (every process; the data is kept).",
    mixinStandardHelpOptions = true)
public final class DownCommand implements Callable<Integer> {

  private static final Duration GRACE = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      defaultValue = "catena-data",
      description = "The cluster's data directory (default: ./${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--json", description = "Print what was stopped as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    LocalCluster cluster = new LocalCluster(data);
    if (!Files.isDirectory(cluster.dir())) {
      throw new IllegalArgumentException("no cluster in " + cluster.dir());
    }
    List<String> notes = new ArrayList<>();
    int controlPlanes = 0;
    Optional<ProcessHandle> cp = cluster.controlPlane().flatMap(ControlPlaneInfo::process);
    if (cp.isPresent()) {
      LocalProcesses.stop(cp.get(), GRACE);
      controlPlanes++;
    }
    int daemons = 0;
    int agents = 0;
    for (String node : nodeNames(cluster)) {
      Optional<ProcessHandle> agent = cluster.agentProcess(node);
      if (agent.isEmpty()) {
        continue;
      }
      String endpoint = cluster.agent(node).map(LocalCluster.AgentInfo::endpoint).orElse("");
      try {
        daemons += stopDaemons(endpoint, ControlPlaneWire.forState(cluster.controlPlaneDir()));
      } catch (StatusRuntimeException e) {
        notes.add("agent of " + node + " did not answer (" + e.getStatus().getCode() + ")");
      }
      LocalProcesses.stop(agent.get(), GRACE);
      agents++;
    }
    for (LocalCluster.DaemonPid d : cluster.daemonPids()) {
      Optional<ProcessHandle> left = LocalProcesses.alive(d.pid(), d.started());
      if (left.isPresent()) {
        LocalProcesses.stop(left.get(), GRACE);
        daemons++;
        notes.add("ended " + d.name() + " (pid " + d.pid() + ") by its pid");
      }
    }
    List<String> survivors = survivors(cluster);
    if (!survivors.isEmpty()) {
      throw new IllegalStateException("still running after stop: " + String.join(", ", survivors));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("data", cluster.dir().toString());
      line.put("controlPlanes", controlPlanes);
      line.put("agents", agents);
      line.put("daemons", daemons);
      line.put("notes", notes);
      out.println(new ObjectMapper().writeValueAsString(line));
    } else {
      out.println(
          "catena: stopped "
              + controlPlanes
              + " control plane, "
              + agents
              + " agent(s), "
              + daemons
              + " daemon(s); data kept in "
              + cluster.dir());
      notes.forEach(n -> out.println("  " + n));
    }
    out.flush();
    return 0;
  }

  private static List<String> nodeNames(LocalCluster cluster) throws java.io.IOException {
    Path nodes = cluster.dir().resolve("nodes");
    if (!Files.isDirectory(nodes)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(nodes)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Stops every running daemon of an agent, storage first and mgmtd last; returns how many. */
  private static int stopDaemons(String endpoint, TransportSecurity transport) {
    ManagedChannel channel =
        Grpc.newChannelBuilder(endpoint, transport.channelCredentials(endpoint)).build();
    try {
      var stub = NodeAgentGrpc.newBlockingStub(channel);
      List<DaemonStatus> running =
          stub
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .status(StatusRequest.getDefaultInstance())
              .getDaemonsList()
              .stream()
              .filter(d -> d.getState() != DaemonState.DAEMON_STATE_STOPPED)
              .sorted(Comparator.comparingInt(DownCommand::stopOrder))
              .toList();
      for (DaemonStatus d : running) {
        stub.withDeadlineAfter(GRACE.toSeconds() + 15, TimeUnit.SECONDS)
            .stop(
                StopRequest.newBuilder()
                    .setName(d.getName())
                    .setGraceSeconds((int) GRACE.toSeconds())
                    .build());
      }
      return running.size();
    } finally {
      channel.shutdownNow();
    }
  }

  private static int stopOrder(DaemonStatus d) {
    return d.getKind() == DaemonKind.DAEMON_KIND_STORAGE
        ? 0
        : d.getKind() == DaemonKind.DAEMON_KIND_GATEWAY
            ? 1
            : d.getKind() == DaemonKind.DAEMON_KIND_META ? 2 : 3;
  }

  private static List<String> survivors(LocalCluster cluster) {
    List<String> left = new ArrayList<>();
    cluster
        .controlPlane()
        .flatMap(ControlPlaneInfo::process)
        .ifPresent(p -> left.add("control plane (pid " + p.pid() + ")"));
    try {
      for (String node : nodeNames(cluster)) {
        cluster
            .agentProcess(node)
            .ifPresent(p -> left.add("agent of " + node + " (pid " + p.pid() + ")"));
      }
    } catch (java.io.IOException e) {
      left.add("(cannot list nodes: " + e.getMessage() + ")");
    }
    for (LocalCluster.DaemonPid d : cluster.daemonPids()) {
      LocalProcesses.alive(d.pid(), d.started())
          .ifPresent(p -> left.add(d.name() + " (pid " + p.pid() + ")"));
    }
    return left;
  }
}
