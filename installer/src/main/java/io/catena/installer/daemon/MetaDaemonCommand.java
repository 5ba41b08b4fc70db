package io.catena.installer.daemon;

import io.catena.meta.MetaDaemon;
import io.catena.meta.MetaDaemonConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catena daemon meta}: the metadata service (see docs/meta.md). */
@Command(
    name = "meta",
    description = {
      "Run the meta daemon: file metadata, tenants and tokens over a KvEngine. Blocks; prints"
          + " where it listens once serving. The first start writes the admin token file."
    },
    mixinStandardHelpOptions = true)
final class MetaDaemonCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      description =
          "A file of name=value settings (listen, kv, admin-token-file, mgmtd, chain-tables).")
  Path config;

  @Option(names = "--listen", description = "HOST:PORT to serve gRPC on (0: any free port).")
  String listen;

  @Option(
      names = "--kv",
      description = "KvEngine URI: rocksdb:/dir, fdb:/path/fdb.cluster or memory:name.")
  String kv;

  @Option(
      names = "--admin-token-file",
      description = "Where the bootstrap admin token is written (mode 0600) on first start.")
  Path adminTokenFile;

  @Option(
      names = "--mgmtd",
      description =
          "HOST:PORT[,HOST:PORT...] of mgmtd (DNS names are re-resolved): chain tables come from"
              + " its routing info.")
  String mgmtd;

  @Option(
      names = "--chain-table",
      description =
          "ID=CHAINS, e.g. 1=1-16: a chain table files may use, for meta running without mgmtd.")
  List<String> chainTables = new ArrayList<>();

  @Option(names = "--gc-interval-seconds", description = "How often chunk GC runs.")
  Long gcIntervalSeconds;

  @Option(names = "--json", description = "Print the listening address as JSON.")
  boolean json;

  @Mixin WireOptions wire;

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>();
    if (config != null) {
      args.addAll(List.of("--config", config.toString()));
    }
    if (listen != null) {
      args.addAll(List.of("--listen", listen));
    }
    if (kv != null) {
      args.addAll(List.of("--kv", kv));
    }
    if (adminTokenFile != null) {
      args.addAll(List.of("--admin-token-file", adminTokenFile.toString()));
    }
    if (mgmtd != null) {
      args.addAll(List.of("--mgmtd", mgmtd));
    }
    for (String table : chainTables) {
      args.addAll(List.of("--chain-table", table));
    }
    if (gcIntervalSeconds != null) {
      args.addAll(List.of("--gc-interval-seconds", gcIntervalSeconds.toString()));
    }
    MetaDaemonConfig parsed = MetaDaemonConfig.parse(args.toArray(String[]::new));
    PrintWriter out = spec.commandLine().getOut();
    MetaDaemon.run(
        parsed,
        wire.transport(),
        port -> {
          String address = parsed.host() + ":" + port;
          out.println(
              json
                  ? "{\"daemon\":\"meta\",\"listen\":\"" + address + "\"}"
                  : "meta listening on " + address);
          out.flush();
        });
    return 0;
  }
}
