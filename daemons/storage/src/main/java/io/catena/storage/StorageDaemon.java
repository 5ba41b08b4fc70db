package io.catena.storage;

import io.catena.storage.chain.StaticRoutingSource;
import io.catena.storage.server.LocalStateBoard;
import io.catena.storage.server.StorageConfig;
import io.catena.storage.server.StorageServer;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of a storage daemon process ({@code catena daemon storage} calls {@link #run}). Until
 * mgmtd lands, routing is pushed through the admin service's ApplyRouting call.
 */
public final class StorageDaemon {
  private StorageDaemon() {}

  public static void main(String[] args) throws InterruptedException {
    StorageConfig config;
    try {
      config = StorageConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("catena storage: " + e.getMessage());
      System.exit(2);
      return;
    }
    run(config);
  }

  /** Runs until the JVM is asked to stop (SIGTERM / SIGINT). */
  public static void run(StorageConfig config) throws InterruptedException {
    StorageServer server =
        StorageServer.start(
            config, new StaticRoutingSource(), new LocalStateBoard(), RequestAuthorizer.allowAll());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "storage-shutdown"));
    System.out.println(
        "catena storage node "
            + config.nodeId()
            + " listening on "
            + server.address()
            + " metrics port "
            + server.metricsPort());
    stopped.await();
  }
}
