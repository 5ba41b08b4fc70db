package io.catena.installer.daemon;

import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.chunk.FsyncPolicy;
import io.catena.storage.mgmtd.MgmtdStorageDaemon;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catena daemon storage}: a storage daemon joined to mgmtd (see docs/storage.md). */
@Command(
    name = "storage",
    description = {
      "Run a storage daemon: heartbeats to mgmtd, follows its routing, and creates under --data the"
          + " targets mgmtd places on this node. Blocks; prints where it listens once serving."
    },
    mixinStandardHelpOptions = true)
final class StorageDaemonCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--node-id", required = true, description = "This node's id in mgmtd.")
  int nodeId;

  @Option(
      names = "--mgmtd",
      required = true,
      split = ",",
      description = "mgmtd endpoints, HOST:PORT[,HOST:PORT...] (names are re-resolved).")
  List<String> mgmtd = new ArrayList<>();

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:0",
      description = "HOST:PORT to serve on (0: any free port). Default: ${DEFAULT-VALUE}.")
  String listen;

  @Option(
      names = "--data",
      required = true,
      description = "A disk directory (repeatable; the n-th is disk index n-1 in mgmtd).")
  List<Path> data = new ArrayList<>();

  @Option(
      names = "--fsync",
      defaultValue = "always",
      description = "always (fsync before acknowledging) or never. Default: ${DEFAULT-VALUE}.")
  String fsync;

  @Option(
      names = "--capacity",
      defaultValue = "0",
      description = "Bytes each target may hold (0: the disk's free space).")
  long capacity;

  @Option(
      names = "--metrics-port",
      defaultValue = "0",
      description = "Prometheus HTTP port (0: any free port, -1: none).")
  int metricsPort;

  @Option(
      names = "--port-file",
      description = "Write \"grpcPort metricsPort\" to this file once listening.")
  Path portFile;

  @Option(
      names = "--meta",
      description =
          "HOST:PORT of meta: client I/O then needs a token of a tenant allowed on the chain"
              + " (without it every request is served).")
  String meta;

  @Option(names = "--json", description = "Print the listening address as JSON.")
  boolean json;

  @Mixin WireOptions wire;

  @Override
  public Integer call() throws Exception {
    MgmtdDaemonCommand.Listen bind = MgmtdDaemonCommand.parseListen(listen);
    FsyncPolicy policy;
    try {
      policy = FsyncPolicy.valueOf(fsync.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--fsync must be always or never, not '" + fsync + "'");
    }
    if (capacity < 0) {
      throw new IllegalArgumentException("--capacity must be >= 0");
    }
    List<Path> disks = data.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    MgmtdStorageDaemon daemon =
        MgmtdStorageDaemon.start(
            new MgmtdStorageDaemon.Settings(
                nodeId,
                mgmtd,
                bind.host(),
                bind.port(),
                metricsPort,
                disks,
                EngineConfig.defaults().withFsync(policy).withCapacity(capacity),
                portFile,
                meta,
                wire.transport()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  daemon.close();
                  stopped.countDown();
                },
                "storage-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        json
            ? "{\"daemon\":\"storage\",\"nodeId\":"
                + nodeId
                + ",\"listen\":\""
                + daemon.address()
                + "\"}"
            : "storage node " + nodeId + " listening on " + daemon.address());
    out.flush();
    stopped.await();
    return 0;
  }
}
