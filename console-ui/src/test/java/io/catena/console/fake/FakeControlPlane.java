package io.catena.console.fake;

import io.catena.console.ConsoleConnection;
import io.catena.console.ControlPlaneApi;
import io.grpc.Server;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * TEST FIXTURE: a {@link FakeCluster} served in-process as the control plane, with a ticker that
 * advances running operations. Replaced by the real control plane once it exists.
 */
public final class FakeControlPlane implements AutoCloseable {

  private final FakeCluster cluster;
  private final Server server;
  private final String name;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fake-control-plane-tick");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param tickMs how often running operations advance a step; 0 for only by {@link
   *     FakeCluster#tick()}
   */
  public FakeControlPlane(FakeCluster cluster, long tickMs) throws IOException {
    this.cluster = cluster;
    this.name = "fake-control-plane-" + System.nanoTime();
    this.server =
        InProcessServerBuilder.forName(name)
            .addService(new FakeServices.ControlPlane(cluster))
            .addService(new FakeServices.Operations(cluster))
            .build()
            .start();
    if (tickMs > 0) {
      ticker.scheduleAtFixedRate(cluster::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
    }
  }

  public FakeCluster cluster() {
    return cluster;
  }

  public ControlPlaneApi api() {
    return new ControlPlaneApi(ConsoleConnection.embedded(name), "test-admin-token");
  }

  @Override
  public void close() throws InterruptedException {
    ticker.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
