package io.catena.controlplane;

import io.catena.controlplane.api.AdminTokenInterceptor;
import io.catena.controlplane.api.ControlPlaneService;
import io.catena.controlplane.driver.AgentDriver;
import io.catena.controlplane.driver.AgentRegistry;
import io.catena.controlplane.driver.ControlPlaneRegistryService;
import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.mgmtd.GrpcMgmtdAdmin;
import io.catena.controlplane.reconcile.ClusterLayout;
import io.catena.controlplane.reconcile.PortBook;
import io.catena.controlplane.reconcile.ReconcileContext;
import io.catena.controlplane.reconcile.ReconcileLoop;
import io.catena.controlplane.reconcile.Reconciler;
import io.catena.controlplane.security.ControlPlaneIdentity;
import io.catena.controlplane.security.NodeCertificates;
import io.catena.controlplane.security.WireSecurity;
import io.catena.controlplane.spec.ClusterManifest;
import io.catena.controlplane.tenant.GrpcTenantAdmin;
import io.catena.controlplane.tenant.TenantTokens;
import io.catena.protocol.agent.ControlPlaneRegistryGrpc;
import io.catena.protocol.security.CallerInterceptor;
import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The control plane as one process part: the agents' join registry, the reconcile loop over the
 * agent driver, and the gRPC API ({@code ControlPlaneRegistry}, {@code ControlPlane}, and any
 * services added by {@link Settings#extraServices}, e.g. {@code Operations}) on one port. Its state
 * lives in {@link ControlPlaneState}'s directory.
 */
public final class ControlPlaneServer implements AutoCloseable {

  /**
   * What to run: the desired state, where state is kept, where to listen, the launcher the agents
   * run daemons with, the daemon kinds this distribution has, its version, and extra services built
   * from the running parts.
   */
  public record Settings(
      ClusterManifest manifest,
      Path stateDir,
      String host,
      int port,
      Path launcher,
      Set<DaemonKind> kinds,
      String version,
      Function<ControlPlaneServer, List<BindableService>> extraServices,
      WireSecurity wire) {}

  private final ControlPlaneState state;
  private final AgentDriver driver;
  private final GrpcMgmtdAdmin mgmtd;
  private final GrpcTenantAdmin tenants;
  private final Reconciler reconciler;
  private final ReconcileLoop loop;
  private final Server server;
  private final TransportSecurity transport;

  private ControlPlaneServer(Settings settings) throws IOException {
    this.state = ControlPlaneState.open(settings.stateDir());
    Optional<NodeCertificates> certificates = Optional.empty();
    if (settings.wire() == WireSecurity.TLS) {
      CertificateAuthority ca = state.certificateAuthority(settings.manifest().name());
      ca.issue(
              PeerIdentity.controlPlane("control-plane"),
              ControlPlaneIdentity.hosts(settings.host()),
              ControlPlaneIdentity.VALIDITY)
          .writeTo(state.identityFiles(), ca.certificatePem());
      this.transport = TransportSecurity.tls(state.identityFiles());
      certificates = Optional.of(new NodeCertificates(ca, NodeCertificates.DEFAULT_VALIDITY));
    } else {
      this.transport = TransportSecurity.plaintext();
    }
    AgentRegistry registry = new AgentRegistry(state.agentsFile());
    this.driver =
        new AgentDriver(
            registry, settings.launcher(), settings.kinds(), settings.version(), transport);
    ClusterLayout layout = new ClusterLayout(settings.manifest(), new PortBook(state.portsFile()));
    this.mgmtd = new GrpcMgmtdAdmin(layout.mgmtdEndpoints(), transport);
    Path metaToken = layout.metaAdminTokenFile();
    this.tenants =
        new GrpcTenantAdmin(layout.metaEndpoint(), () -> readToken(metaToken), transport);
    TenantTokens tokens = new TenantTokens(state.tokensDir());
    this.reconciler =
        new Reconciler(
            new ReconcileContext(layout, driver, mgmtd, tenants, tokens),
            Reconciler.standardSteps(),
            Clock.systemUTC());
    this.loop = new ReconcileLoop(reconciler);
    CallerInterceptor callers =
        CallerInterceptor.builder()
            .require(ControlPlaneRegistryGrpc.getRenewMethod(), PeerIdentity.Role.NODE)
            .build();
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(settings.host(), settings.port()),
                transport.serverCredentials(settings.host()))
            .addService(
                ServerInterceptors.intercept(
                    new ControlPlaneRegistryService(
                        state.joinTokens(), certificates, registry, loop::trigger),
                    callers));
    AdminTokenInterceptor auth = new AdminTokenInterceptor(state.adminToken());
    builder.addService(
        ServerInterceptors.intercept(
            new ControlPlaneService(reconciler, driver, () -> tenants, tokens, loop::trigger),
            auth));
    for (BindableService extra : settings.extraServices().apply(this)) {
      builder.addService(ServerInterceptors.intercept(extra, auth));
    }
    this.server = builder.build().start();
    loop.start();
  }

  public static ControlPlaneServer start(Settings settings) {
    try {
      return new ControlPlaneServer(settings);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
  }

  private static String readToken(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new io.catena.controlplane.tenant.TenantException(
          io.catena.controlplane.tenant.TenantException.Reason.UNAVAILABLE,
          "meta's admin token is not readable yet (" + file + ")",
          e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** How this control plane talks to agents and daemons. */
  public TransportSecurity transport() {
    return transport;
  }

  public ControlPlaneState state() {
    return state;
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  public ReconcileLoop loop() {
    return loop;
  }

  public AgentDriver driver() {
    return driver;
  }

  public GrpcMgmtdAdmin mgmtd() {
    return mgmtd;
  }

  public GrpcTenantAdmin tenants() {
    return tenants;
  }

  @Override
  public void close() {
    loop.close();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    driver.close();
    mgmtd.close();
    tenants.close();
  }
}
