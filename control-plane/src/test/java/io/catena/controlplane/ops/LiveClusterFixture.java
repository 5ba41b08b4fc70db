package io.catena.controlplane.ops;

import io.catena.controlplane.ops.safety.SelfHealPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A live cluster with an operations runtime over it (not started: self-healing paused). */
public final class LiveClusterFixture implements AutoCloseable {

  private final LocalStorageCluster cluster;
  private final OpsRuntime ops;

  private LiveClusterFixture(LocalStorageCluster cluster, OpsRuntime ops) {
    this.cluster = cluster;
    this.ops = ops;
  }

  public static LiveClusterFixture start(Path root, int nodes, int chains)
      throws InterruptedException {
    LocalStorageCluster cluster = new LocalStorageCluster(root.resolve("cluster"));
    cluster.bootstrap(nodes, chains, 3);
    OpsRuntime ops =
        new OpsRuntime(
            new OpsRuntime.Config(
                root.resolve("control-plane"),
                cluster.admin,
                cluster.hosts,
                cluster.provisioner(),
                cluster.restarter(),
                OpsSettings.defaults()
                    .withPollInterval(Duration.ofMillis(100))
                    .withStepTimeout(Duration.ofMinutes(2)),
                new SelfHealPolicy.Limits(Duration.ofMinutes(5), 2, 6),
                true,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1)),
            Clock.systemUTC());
    return new LiveClusterFixture(cluster, ops);
  }

  public static long target(int node, int slot) {
    return LocalStorageCluster.target(node, slot);
  }

  public static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    LocalStorageCluster.await(what, condition);
  }

  public LocalStorageCluster cluster() {
    return cluster;
  }

  public OpsRuntime ops() {
    return ops;
  }

  @Override
  public void close() {
    ops.close();
    cluster.close();
  }
}
