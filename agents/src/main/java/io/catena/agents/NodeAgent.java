package io.catena.agents;

import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.NodeAgentGrpc;
import io.catena.protocol.security.CallerInterceptor;
import io.catena.protocol.security.PeerIdentity;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
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

  /** How often the node certificate's age is looked at (renewal is at two thirds of it). */
  static final Duration RENEWAL_CHECK = Duration.ofMinutes(10);

  private final AgentLayout layout;
  private final DaemonSupervisor supervisor;
  private final AgentMetrics metrics;
  private final Server server;
  private final HostPort endpoint;
  private final boolean tls;
  private final int metricsPort;
  private final Optional<String> nodeId;
  private final FileChannel lockChannel;
  private final CertificateRenewer renewer;

  private NodeAgent(
      AgentLayout layout,
      DaemonSupervisor supervisor,
      AgentMetrics metrics,
      Server server,
      HostPort endpoint,
      boolean tls,
      int metricsPort,
      Optional<String> nodeId,
      FileChannel lockChannel,
      CertificateRenewer renewer) {
    this.renewer = renewer;
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
    CertificateRenewer renewer = null;
    try {
      supervisor = DaemonSupervisor.open(layout, config.catenaHome(), config.restartDefaults());
      NodeFactsCollector facts =
          new NodeFactsCollector(
              layout.root(), config.disks(), config.labels(), config.agentVersion());
      supervisor.probeHealthEvery(HEALTH_PROBE_INTERVAL);
      metrics = new AgentMetrics(supervisor, facts);
      NodeAgentService service = new NodeAgentService(supervisor, facts, metrics);
      NodeIdentity identity = new NodeIdentity(layout);
      Optional<TlsFiles> explicit = config.tls();
      Optional<String> nodeId = readNodeId(layout);
      HostPort listen = config.listen();
      Optional<JoinReply> joined = Optional.empty();
      boolean controlPlaneIssues =
          config.controlPlane().map(cp -> cp.caFile().isPresent()).orElse(false);

      if (explicit.isEmpty() && !identity.present() && !listen.isLoopback()) {
        // Production without a certificate yet: join first, serve with the certificate issued.
        ControlPlaneConfig cp =
            config
                .controlPlane()
                .filter(c -> c.caFile().isPresent())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "plain gRPC is allowed on loopback only: give --tls-cert and --tls-key,"
                                + " or a control plane and its CA (--control-plane-ca) to be issued"
                                + " a node certificate at join"));
        if (listen.port() == 0) {
          throw new IllegalArgumentException(
              "listening on " + listen + " needs a fixed port to announce at join");
        }
        JoinReply reply =
            ControlPlaneJoiner.join(
                cp,
                ControlPlaneJoiner.request(
                    cp.joinToken(),
                    facts.collect(),
                    advertised(listen, facts),
                    true,
                    nodeId,
                    identity.newRequest(nodeId.orElse(facts.collect().getHostname()))),
                Optional.empty());
        identity.store(reply);
        joined = Optional.of(reply);
        server = bind(service, listen, explicit, identity);
      } else {
        server = bind(service, listen, explicit, identity);
        if (config.controlPlane().isPresent()) {
          ControlPlaneConfig cp = config.controlPlane().get();
          HostPort bound = new HostPort(listen.host(), server.getPort());
          boolean wantCertificate = controlPlaneIssues && !identity.present();
          JoinReply reply =
              ControlPlaneJoiner.join(
                  cp,
                  ControlPlaneJoiner.request(
                      cp.joinToken(),
                      facts.collect(),
                      advertised(bound, facts),
                      explicit.isPresent() || identity.present() || wantCertificate,
                      nodeId,
                      wantCertificate
                          ? identity.newRequest(nodeId.orElse(facts.collect().getHostname()))
                          : ""),
                  identity.present() ? Optional.of(identity.transport()) : Optional.empty());
          joined = Optional.of(reply);
          if (wantCertificate) {
            identity.store(reply);
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server = bind(service, bound, explicit, identity);
          }
        }
      }
      boolean tls = explicit.isPresent() || identity.present();
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
              + tls
              + "\nmetrics=http://"
              + new HostPort(listen.host(), metricsPort)
              + "/metrics\nnode-id="
              + nodeId.orElse("")
              + "\n");
      LOG.info("agent serving on {} ({})", endpoint, tls ? "TLS" : "plain");
      if (joined.isPresent() && identity.present() && config.controlPlane().isPresent()) {
        renewer =
            new CertificateRenewer(
                identity,
                config.controlPlane().get(),
                nodeId.orElseThrow(),
                java.time.Clock.systemUTC(),
                RENEWAL_CHECK);
      }
      return new NodeAgent(
          layout,
          supervisor,
          metrics,
          server,
          endpoint,
          tls,
          metricsPort,
          nodeId,
          lockChannel,
          renewer);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.shutdownNow();
      }
      if (renewer != null) {
        renewer.close();
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

  /**
   * Serves NodeAgent: with the operator's files, else with the node certificate (mutual TLS; only
   * the control plane or an admin may call), else in plain text on loopback.
   */
  private static Server bind(
      NodeAgentService service,
      HostPort address,
      Optional<TlsFiles> explicit,
      NodeIdentity identity)
      throws IOException {
    ServerCredentials credentials;
    io.grpc.ServerServiceDefinition definition;
    if (explicit.isPresent()) {
      credentials = explicit.get().serverCredentials();
      definition = service.bindService();
    } else if (identity.present()) {
      credentials = identity.transport().serverCredentials(address.host());
      definition =
          ServerInterceptors.intercept(
              service,
              CallerInterceptor.builder()
                  .require(
                      NodeAgentGrpc.getServiceDescriptor(),
                      PeerIdentity.Role.CONTROL_PLANE,
                      PeerIdentity.Role.ADMIN)
                  .build());
    } else {
      credentials = InsecureServerCredentials.create();
      definition = service.bindService();
    }
    return NettyServerBuilder.forAddress(
            new InetSocketAddress(address.host(), address.port()), credentials)
        .addService(definition)
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

  /** Renews the node certificate now (operators and tests; normally it happens on its own). */
  public void renewCertificate() throws IOException {
    if (renewer == null) {
      throw new IllegalStateException("this agent holds no certificate of a control plane");
    }
    renewer.renew();
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
    if (renewer != null) {
      renewer.close();
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
