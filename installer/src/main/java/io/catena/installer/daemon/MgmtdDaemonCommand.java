package io.catena.installer.daemon;

import io.catena.mgmtd.MgmtdConfig;
import io.catena.mgmtd.MgmtdDaemon;
import io.catena.mgmtd.cluster.MgmtdSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code catena daemon mgmtd}: one mgmtd instance. */
@Command(
    name = "mgmtd",
    description =
        "Run an mgmtd instance (cluster manager). Several share one KvEngine; a lease picks the primary.",
    mixinStandardHelpOptions = true)
public final class MgmtdDaemonCommand implements Callable<Integer> {

  @Option(
      names = "--id",
      required = true,
      description = "Instance id, unique among mgmtd instances.")
  String id;

  @Option(
      names = "--kv",
      required = true,
      description =
          "KvEngine URI holding the cluster state: rocksdb:/dir, fdb:/path/fdb.cluster, memory:.")
  String kvUri;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:0",
      description = "host:port to listen on (port 0 picks a free one). Default: ${DEFAULT-VALUE}.")
  String listen;

  @Option(
      names = "--advertise",
      description =
          "Host others reach this instance by (a DNS name works). Default: the listen host.")
  String advertise;

  @Option(
      names = "--timing",
      defaultValue = "production",
      description =
          "production (10 s heartbeats, 60 s failure, 20 s lease) or local (seconds). Default: ${DEFAULT-VALUE}.")
  String timing;

  @Option(names = "--port-file", description = "Write the bound port to this file once listening.")
  Path portFile;

  @Mixin WireOptions wire;

  @Override
  public Integer call() throws Exception {
    Listen bind = parseListen(listen);
    MgmtdSettings settings =
        switch (timing) {
          case "production" -> MgmtdSettings.defaults();
          case "local" -> MgmtdSettings.local();
          default ->
              throw new IllegalArgumentException(
                  "--timing must be production or local, not '" + timing + "'");
        };
    MgmtdConfig config =
        new MgmtdConfig(
            id,
            bind.host(),
            bind.port(),
            advertise == null ? bind.host() : advertise,
            kvUri,
            settings);
    MgmtdDaemon.run(config, Optional.ofNullable(portFile), wire.transport());
    return 0;
  }

  /** Parses {@code host:port} where port 0 means any free port. */
  static Listen parseListen(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--listen must be host:port, not '" + text + "'");
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new Listen(text.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen port must be 0..65535 in '" + text + "'");
    }
  }

  record Listen(String host, int port) {}
}
