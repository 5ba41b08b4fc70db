package io.catena.controlplane.ops;

import io.catena.controlplane.ControlPlaneServer;
import io.catena.controlplane.ops.cluster.ClusterAdmin;
import io.catena.controlplane.ops.cluster.DriverNodeRestarter;
import io.catena.controlplane.ops.cluster.GrpcClusterAdmin;
import io.catena.controlplane.ops.cluster.StorageReplicaHosts;
import io.catena.controlplane.ops.safety.SelfHealPolicy;
import io.catena.controlplane.reconcile.ReconcileContext;
import io.catena.protocol.routing.MgmtdClient;
import io.grpc.BindableService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The operations of a running {@link ControlPlaneServer}: pass {@link #services} as its {@code
 * extraServices} and the Operations API is served next to ControlPlane, behind the same admin
 * token, with the audit log in the control plane's state directory. Scale-out needs a node
 * provisioner this wiring does not have yet: it is refused with that reason.
 */
public final class ControlPlaneOps {

  /** Self-healing defaults: 10 minutes OFFLINE, 2 repairs at a time, 6 an hour, active. */
  public static final SelfHealPolicy.Limits SELF_HEALING =
      new SelfHealPolicy.Limits(Duration.ofMinutes(10), 2, 6);

  private ControlPlaneOps() {}

  /** Starts the operations runtime over {@code server}'s cluster; closed when the JVM exits. */
  public static List<BindableService> services(ControlPlaneServer server) {
    ReconcileContext context = server.reconciler().context();
    MgmtdClient mgmtd = new MgmtdClient(context.layout().mgmtdEndpoints());
    ClusterAdmin admin = new GrpcClusterAdmin(mgmtd);
    OpsRuntime ops =
        new OpsRuntime(
                new OpsRuntime.Config(
                    server.state().dir().resolve("operations"),
                    admin,
                    StorageReplicaHosts.daemonCreated(),
                    null,
                    new DriverNodeRestarter(
                        context.driver(),
                        context.layout(),
                        () -> mgmtd.primaryAddress().orElse(""),
                        Duration.ofMinutes(2)),
                    OpsSettings.defaults(),
                    SELF_HEALING,
                    false,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5)),
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
