package io.catena.controlplane.ops;

import io.catena.controlplane.ControlPlaneServer;
import io.catena.controlplane.ops.cluster.AgentStarter;
import io.catena.controlplane.ops.cluster.ClusterAdmin;
import io.catena.controlplane.ops.cluster.DriverNodeRestarter;
import io.catena.controlplane.ops.cluster.GrpcClusterAdmin;
import io.catena.controlplane.ops.cluster.LocalNodeProvisioner;
import io.catena.controlplane.ops.cluster.NodeProvisioner;
import io.catena.controlplane.ops.cluster.StorageReplicaHosts;
import io.catena.controlplane.ops.safety.SelfHealPolicy;
import io.catena.controlplane.reconcile.ReconcileContext;
import io.catena.protocol.routing.MgmtdClient;
import io.grpc.BindableService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The operations of a running {@link ControlPlaneServer}: pass {@link #services} as its {@code
 * extraServices} and the Operations API is served next to ControlPlane, behind the same admin
 * token, with the audit log in the control plane's state directory. With {@link #forSpec} and a
 * local spec, scale-out starts new nodes ({@link LocalNodeProvisioner}); otherwise it is refused: a
 * production cluster's nodes come from agents that joined.
 */
public final class ControlPlaneOps {

  /** Self-healing defaults: 10 minutes OFFLINE, 2 repairs at a time, 6 an hour, active. */
  public static final SelfHealPolicy.Limits SELF_HEALING =
      new SelfHealPolicy.Limits(Duration.ofMinutes(10), 2, 6);

  private ControlPlaneOps() {}

  /** Starts the operations runtime over {@code server}'s cluster; closed when the JVM exits. */
  public static List<BindableService> services(ControlPlaneServer server) {
    return services(server, null);
  }

  /**
   * The operations of a control plane run from {@code specFile}: a local cluster's scale-out starts
   * agents with {@code agents} and adds the new nodes to {@code specFile}.
   */
  public static Function<ControlPlaneServer, List<BindableService>> forSpec(
      Path specFile, AgentStarter agents) {
    return server -> {
      ReconcileContext context = server.reconciler().context();
      NodeProvisioner provisioner =
          context.layout().spec().isLocal()
              ? new LocalNodeProvisioner(
                  specFile,
                  agents,
                  server.reconciler(),
                  context.driver(),
                  () -> "127.0.0.1:" + server.port(),
                  server.state().joinToken(),
                  AGENT_JOIN_TIMEOUT)
              : null;
      return services(server, provisioner);
    };
  }

  /** How long a new local node's agent may take to start and join. */
  static final Duration AGENT_JOIN_TIMEOUT = Duration.ofMinutes(3);

  private static List<BindableService> services(
      ControlPlaneServer server, NodeProvisioner provisioner) {
    ReconcileContext context = server.reconciler().context();
    MgmtdClient mgmtd = new MgmtdClient(context.layout().mgmtdEndpoints(), server.transport());
    ClusterAdmin admin = new GrpcClusterAdmin(mgmtd);
    OpsRuntime ops =
        new OpsRuntime(
                new OpsRuntime.Config(
                    server.state().dir().resolve("operations"),
                    admin,
                    StorageReplicaHosts.daemonCreated(server.transport()),
                    provisioner,
                    new DriverNodeRestarter(
                        context.driver(),
                        () -> server.reconciler().context().layout(),
                        () -> mgmtd.primaryAddress().orElse(""),
                        Duration.ofMinutes(2)),
                    OpsSettings.defaults(),
                    SELF_HEALING,
                    false,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5),
                    server.transport()),
                Clock.systemUTC())
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ops.close();
                  mgmtd.close();
                },
                "operations-shutdown"));
    return List.of(ops.service());
  }
}
