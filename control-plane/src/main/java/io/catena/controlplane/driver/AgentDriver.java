package io.catena.controlplane.driver;

import io.catena.protocol.agent.DaemonRef;
import io.catena.protocol.agent.DaemonSpec;
import io.catena.protocol.agent.DaemonStatus;
import io.catena.protocol.agent.DeployRequest;
import io.catena.protocol.agent.Health;
import io.catena.protocol.agent.HealthProbe;
import io.catena.protocol.agent.NodeAgentGrpc;
import io.catena.protocol.agent.PrepareTargetsRequest;
import io.catena.protocol.agent.StatusRequest;
import io.catena.protocol.agent.StopRequest;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link ClusterDriver} over the node agents' {@code NodeAgent} gRPC service. A daemon runs as
 * {@code LAUNCHER args...} where the launcher is the distribution's {@code bin/catena} (agents are
 * expected to have the distribution at the same path as the control plane: true for {@code catena
 * up} and for agents installed with the default prefix). Its health is a TCP probe of its port.
 */
public final class AgentDriver implements ClusterDriver, AutoCloseable {

  private static final long CALL_SECONDS = 10;
  private static final long STOP_SECONDS = 40;

  private final AgentRegistry registry;
  private final Path launcher;
  private final Set<DaemonKind> kinds;
  private final String version;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  private final TransportSecurity transport;

  public AgentDriver(
      AgentRegistry registry,
      Path launcher,
      Set<DaemonKind> kinds,
      String version,
      TransportSecurity transport) {
    this.transport = transport;
    this.registry = registry;
    this.launcher = launcher;
    this.kinds = Set.copyOf(kinds);
    this.version = version;
  }

  /** How agents are dialled: mutual TLS with the control plane's certificate, or loopback text. */
  public TransportSecurity transport() {
    return transport;
  }

  @Override
  public List<JoinedNode> nodes() {
    return registry.all();
  }

  @Override
  public Set<DaemonKind> availableKinds() {
    return kinds;
  }

  @Override
  public DaemonObservation observe(String node, String daemonName) {
    try {
      List<DaemonStatus> found =
          stub(node, CALL_SECONDS)
              .status(StatusRequest.newBuilder().setName(daemonName).build())
              .getDaemonsList();
      return found.isEmpty() ? absent(daemonName) : observation(found.getFirst());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return absent(daemonName);
      }
      throw failure(node, "status of " + daemonName, e);
    }
  }

  @Override
  public List<DaemonObservation> observeAll(String node) {
    try {
      List<DaemonObservation> out = new ArrayList<>();
      for (DaemonStatus s :
          stub(node, CALL_SECONDS).status(StatusRequest.getDefaultInstance()).getDaemonsList()) {
        out.add(observation(s));
      }
      return out;
    } catch (StatusRuntimeException e) {
      throw failure(node, "status", e);
    }
  }

  @Override
  public DaemonObservation ensureRunning(String node, DaemonDeployment deployment) {
    DaemonObservation seen = observe(node, deployment.name());
    try {
      if (seen.state() == DaemonObservation.State.ABSENT) {
        stub(node, CALL_SECONDS)
            .deploy(DeployRequest.newBuilder().setSpec(spec(node, deployment)).build());
      } else if (seen.state() != DaemonObservation.State.NOT_RUNNING) {
        return seen;
      } else if (seen.detail().startsWith("backing off")) {
        return seen; // the agent restarts it after its back-off; starting now would defeat it
      }
      DaemonStatus started =
          stub(node, CALL_SECONDS).start(DaemonRef.newBuilder().setName(deployment.name()).build());
      return observation(started);
    } catch (StatusRuntimeException e) {
      throw failure(node, "deploying " + deployment.name(), e);
    }
  }

  @Override
  public DaemonObservation act(String node, String daemonName, DaemonAction action) {
    try {
      DaemonStatus status =
          switch (action) {
            case START ->
                stub(node, CALL_SECONDS).start(DaemonRef.newBuilder().setName(daemonName).build());
            case STOP ->
                stub(node, STOP_SECONDS).stop(StopRequest.newBuilder().setName(daemonName).build());
            case RESTART ->
                stub(node, STOP_SECONDS + CALL_SECONDS)
                    .restart(StopRequest.newBuilder().setName(daemonName).build());
          };
      return observation(status);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new IllegalArgumentException(
            "no daemon '" + daemonName + "' is deployed on node " + node);
      }
      throw failure(node, action.name().toLowerCase(java.util.Locale.ROOT) + " " + daemonName, e);
    }
  }

  @Override
  public void prepareTargets(String node, String diskPath, List<String> targetIds) {
    try {
      stub(node, CALL_SECONDS)
          .prepareTargets(
              PrepareTargetsRequest.newBuilder()
                  .setDiskPath(diskPath)
                  .addAllTargetIds(targetIds)
                  .build());
    } catch (StatusRuntimeException e) {
      throw failure(node, "preparing targets on " + diskPath, e);
    }
  }

  DaemonSpec spec(String node, DaemonDeployment d) {
    String host = registry.find(node).map(JoinedNode::host).orElse("127.0.0.1");
    DaemonSpec.Builder b =
        DaemonSpec.newBuilder()
            .setName(d.name())
            .setKind(wireKind(d.kind()))
            .setVersion(version)
            .addCommand(launcher.toString())
            .addAllCommand(d.args())
            .addAllDataDirs(d.dataDirs())
            .setStopGraceSeconds(30);
    if (d.jvmOptions() != null && !d.jvmOptions().isBlank()) {
      b.putEnv("CATENA_JAVA_OPTS", d.jvmOptions());
    }
    if (d.port() > 0) {
      b.setHealth(
          HealthProbe.newBuilder()
              .setTcpAddress(d.host(host) + ":" + d.port())
              .setTimeoutMillis(1000));
    }
    return b.build();
  }

  private DaemonObservation observation(DaemonStatus s) {
    DaemonObservation.State state =
        switch (s.getState()) {
          case DAEMON_STATE_RUNNING ->
              s.getHealth() == Health.HEALTH_HEALTHY
                  ? DaemonObservation.State.HEALTHY
                  : DaemonObservation.State.STARTING;
          case DAEMON_STATE_FLAPPING -> DaemonObservation.State.FAILING;
          default -> DaemonObservation.State.NOT_RUNNING;
        };
    String detail =
        switch (s.getState()) {
          case DAEMON_STATE_BACKING_OFF -> "backing off after: " + s.getLastExitReason();
          case DAEMON_STATE_FLAPPING -> "crashed too often; last: " + s.getLastExitReason();
          case DAEMON_STATE_STOPPED -> "stopped";
          default -> s.getHealthDetail();
        };
    return new DaemonObservation(
        s.getName(),
        kindOf(s),
        state,
        s.getPid(),
        "",
        s.getRestartCount(),
        s.getUptimeMillis(),
        detail == null ? "" : detail);
  }

  private static DaemonKind kindOf(DaemonStatus s) {
    return switch (s.getKind()) {
      case DAEMON_KIND_MGMTD -> DaemonKind.MGMTD;
      case DAEMON_KIND_META -> DaemonKind.META;
      case DAEMON_KIND_GATEWAY -> DaemonKind.GATEWAY;
      default -> DaemonKind.STORAGE;
    };
  }

  private static io.catena.protocol.agent.DaemonKind wireKind(DaemonKind kind) {
    return switch (kind) {
      case MGMTD -> io.catena.protocol.agent.DaemonKind.DAEMON_KIND_MGMTD;
      case META -> io.catena.protocol.agent.DaemonKind.DAEMON_KIND_META;
      case STORAGE -> io.catena.protocol.agent.DaemonKind.DAEMON_KIND_STORAGE;
      case GATEWAY -> io.catena.protocol.agent.DaemonKind.DAEMON_KIND_GATEWAY;
    };
  }

  private DaemonObservation absent(String name) {
    return DaemonObservation.absent(name, guessKind(name));
  }

  private static DaemonKind guessKind(String name) {
    for (DaemonKind k : DaemonKind.values()) {
      if (name.startsWith(k.id())) {
        return k;
      }
    }
    return DaemonKind.STORAGE;
  }

  private NodeAgentGrpc.NodeAgentBlockingStub stub(String node, long seconds) {
    JoinedNode joined =
        registry
            .find(node)
            .orElseThrow(
                () -> new DriverException("the agent of node " + node + " has not joined"));
    ManagedChannel channel =
        channels.compute(
            joined.agentEndpoint(),
            (endpoint, old) ->
                old != null && !old.isShutdown()
                    ? old
                    : Grpc.newChannelBuilder(endpoint, transport.channelCredentials(endpoint))
                        .build());
    return NodeAgentGrpc.newBlockingStub(channel).withDeadlineAfter(seconds, TimeUnit.SECONDS);
  }

  private static DriverException failure(String node, String what, StatusRuntimeException e) {
    return new DriverException(
        "agent of node "
            + node
            + ": "
            + what
            + " failed: "
            + e.getStatus().getCode()
            + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()),
        e);
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
