package io.catena.agents;

import io.catena.protocol.agent.JoinReply;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node agent: the supervisor of the node's daemons, the NodeAgent gRPC server, the
 * metrics endpoint, and its membership of the control plane. Closing it leaves the daemons running
 * (the next agent on the same root adopts them).
 */
public final class NodeAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  static final Duration HEALTH_PROBE_INTERVAL = Duration.ofSeconds(5);

  private final AgentLayout layout;
  private final DaemonSupervisor supervisor;
  private final AgentMetrics metrics;
  private final Server server;
  private final HostPort endpoint;
  private final boolean tls;
  private final int metricsPort;
  private final Optional<String> nodeId;
  private final FileChannel lockChannel;

  private NodeAgent(
      AgentLayout layout,
      DaemonSupervisor supervisor,
      AgentMetrics metrics,
      Server server,
      HostPort endpoint,
      boolean tls,
      int metricsPort,
      Optional<String> nodeId,
      FileChannel lockChannel) {
    this.layout = layout;
    this.supervisor = supervisor;
    this.metrics = metrics;
    this.server = server;
    this.endpoint = endpoint;
    this.tls = tls;
    this.metricsPort = metricsPort;
    this.nodeId = nodeId;
    this.lockChannel = lockChannel;
  }

  /**
   * Locks the root, recovers the daemons left there, serves NodeAgent and /metrics, and joins the
   * control plane when one is configured.
   */
  public static NodeAgent start(AgentConfig config) throws IOException {
    AgentLayout layout = new AgentLayout(config.root());
    Files.createDirectories(layout.agentDir());
    FileChannel lockChannel =
        FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another agent in this same JVM
    }
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException(
          "another agent is running on "
              + layout.root()
              + " ("
              + layout.lockFile()
              + " is locked)");
    }
    DaemonSupervisor supervisor = null;
    AgentMetrics metrics = null;
    Server server = null;
    try {
      supervisor = DaemonSupervisor.open(layout, config.catenaHome(), config.restartDefaults());
      NodeFactsCollector facts =
          new NodeFactsCollector(
              layout.root(), config.disks(), config.labels(), config.agentVersion());
      supervisor.probeHealthEvery(HEALTH_PROBE_INTERVAL);
      metrics = new AgentMetrics(supervisor, facts);
      NodeAgentService service = new NodeAgentService(supervisor, facts, metrics);
      Optional<TlsFiles> tls = config.tls().or(() -> TlsFiles.stored(layout));
      Optional<String> nodeId = readNodeId(layout);
      HostPort listen = config.listen();
      Optional<JoinReply> joined = Optional.empty();

      if (tls.isEmpty() && !listen.isLoopback()) {
        // Production without a certificate yet: join first, serve with the certificate issued.
        ControlPlaneConfig cp =
            config
                .controlPlane()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "plain gRPC is allowed on loopback only: give --tls-cert and --tls-key,"
                                + " or a control plane that issues certificates at join"));
        if (listen.port() == 0) {
          throw new IllegalArgumentException(
              "listening on " + listen + " needs a fixed port to announce at join");
        }
        JoinReply reply =
            ControlPlaneJoiner.join(
                cp,
                ControlPlaneJoiner.request(
                    cp.joinToken(), facts.collect(), advertised(listen, facts), true, nodeId));
        tls = Optional.of(storeIssued(layout, reply, cp));
        joined = Optional.of(reply);
        server = bind(service, listen, tls);
      } else {
        server = bind(service, listen, tls);
        if (config.controlPlane().isPresent()) {
          ControlPlaneConfig cp = config.controlPlane().get();
          HostPort bound = new HostPort(listen.host(), server.getPort());
          JoinReply reply =
              ControlPlaneJoiner.join(
                  cp,
                  ControlPlaneJoiner.request(
                      cp.joinToken(),
                      facts.collect(),
                      advertised(bound, facts),
                      tls.isPresent(),
                      nodeId));
          joined = Optional.of(reply);
          if (tls.isEmpty() && !reply.getCertChainPem().isEmpty()) {
            tls = Optional.of(storeIssued(layout, reply, cp));
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server = bind(service, bound, tls);
          }
        }
      }
      if (joined.isPresent()) {
        nodeId = Optional.of(joined.get().getNodeId());
        AgentLayout.writeAtomically(layout.nodeIdFile(), nodeId.get() + "\n");
      }
      HostPort endpoint = new HostPort(listen.host(), server.getPort());
      int metricsPort = metrics.serveHttp(listen.host(), config.metricsPort());
      AgentLayout.writeAtomically(
          layout.agentInfoFile(),
          "pid="
              + ProcessHandle.current().pid()
              + "\nendpoint="
              + endpoint
              + "\ntls="
              + tls.isPresent()
              + "\nmetrics=http://"
              + new HostPort(listen.host(), metricsPort)
              + "/metrics\nnode-id="
              + nodeId.orElse("")
              + "\n");
      LOG.info("agent serving on {} ({})", endpoint, tls.isPresent() ? "TLS" : "plain");
      return new NodeAgent(
          layout,
          supervisor,
          metrics,
          server,
          endpoint,
          tls.isPresent(),
          metricsPort,
          nodeId,
          lockChannel);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.shutdownNow();
      }
      if (metrics != null) {
        metrics.close();
      }
      if (supervisor != null) {
        supervisor.close();
      }
      lockChannel.close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lockChannel.close();
      throw new IOException("interrupted while starting the agent", e);
    }
  }

  private static TlsFiles storeIssued(AgentLayout layout, JoinReply reply, ControlPlaneConfig cp)
      throws IOException {
    if (reply.getCertChainPem().isEmpty() || reply.getPrivateKeyPem().isEmpty()) {
      throw new IllegalStateException(
          "the control plane at "
              + cp.address()
              + " issued no certificate; plain gRPC is allowed on loopback only");
    }
    return TlsFiles.store(
        layout, reply.getCertChainPem(), reply.getPrivateKeyPem(), reply.getCaCertPem());
  }

  private static Server bind(NodeAgentService service, HostPort address, Optional<TlsFiles> tls)
      throws IOException {
    ServerCredentials credentials =
        tls.isPresent() ? tls.get().serverCredentials() : InsecureServerCredentials.create();
    return NettyServerBuilder.forAddress(
            new InetSocketAddress(address.host(), address.port()), credentials)
        .addService(service)
        .build()
        .start();
  }

  /** A wildcard listen address is announced under the node's host name. */
  private static HostPort advertised(HostPort bound, NodeFactsCollector facts) {
    if (bound.host().equals("0.0.0.0") || bound.host().equals("::")) {
      return new HostPort(facts.collect().getHostname(), bound.port());
    }
    return bound;
  }

  private static Optional<String> readNodeId(AgentLayout layout) throws IOException {
    if (!Files.exists(layout.nodeIdFile())) {
      return Optional.empty();
    }
    String id = Files.readString(layout.nodeIdFile()).strip();
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }

  public HostPort endpoint() {
    return endpoint;
  }

  public boolean tls() {
    return tls;
  }

  public int metricsPort() {
    return metricsPort;
  }

  public Optional<String> nodeId() {
    return nodeId;
  }

  public AgentLayout layout() {
    return layout;
  }

  public DaemonSupervisor supervisor() {
    return supervisor;
  }

  /** Blocks until the server stops (close() from a shutdown hook). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops serving and supervising; the daemons keep running. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    metrics.close();
    supervisor.close();
    try {
      Files.deleteIfExists(layout.agentInfoFile());
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("cannot release the agent root {}: {}", layout.root(), e.getMessage());
    }
  }
}
