package io.catena.installer.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.controlplane.ControlPlaneServer;
import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.security.WireSecurity;
import io.catena.controlplane.spec.ClusterManifest;
import io.catena.controlplane.spec.SpecFiles;
import io.catena.installer.BuildVersion;
import io.catena.installer.daemon.DaemonCommand;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catena control-plane}: the headless control plane (see docs/control-plane.md). */
@Command(
    name = "control-plane",
    description = {
      "Run the control plane headless: agents join it, it reconciles the cluster to --spec, and"
          + " serves the ControlPlane API. Blocks; prints its endpoint once serving."
    },
    mixinStandardHelpOptions = true)
public final class ControlPlaneCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--spec", required = true, description = "The cluster spec (YAML).")
  Path specFile;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:0",
      description = "HOST:PORT to serve on (0: any free port). Default: ${DEFAULT-VALUE}.")
  String listen;

  @Option(
      names = "--state",
      description =
          "Directory of the control plane's state (tokens, joined agents, ports)."
              + " Default: control-plane/ next to the spec.")
  Path stateDir;

  @Option(names = "--json", description = "Print the endpoint line as JSON.")
  boolean json;

  @Option(
      names = "--plaintext",
      description =
          "Serve plain gRPC and issue no certificates (loopback only). Default: mutual TLS with"
              + " the cluster CA kept in the state directory.")
  boolean plaintext;

  @Override
  public Integer call() throws Exception {
    ClusterManifest manifest = SpecFiles.read(specFile);
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--listen must be HOST:PORT, not '" + listen + "'");
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen port must be a number in '" + listen + "'");
    }
    String host = listen.substring(0, colon);
    Path state =
        stateDir != null
            ? stateDir
            : specFile.toAbsolutePath().getParent().resolve("control-plane");
    ControlPlaneServer server =
        ControlPlaneServer.start(
            new ControlPlaneServer.Settings(
                manifest,
                state,
                host,
                port,
                launcher(),
                availableKinds(),
                BuildVersion.current().version(),
                io.catena.controlplane.ops.ControlPlaneOps.forSpec(
                    specFile,
                    new LocalAgentStarter(
                        new LocalCluster(specFile.toAbsolutePath().getParent()), launcher())),
                plaintext ? WireSecurity.PLAINTEXT : WireSecurity.TLS));
    String endpoint = host + ":" + server.port();
    ControlPlaneInfo.write(state, endpoint);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "control-plane-shutdown"));
    var out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("endpoint", endpoint);
      line.put("state", state.toString());
      line.put("pid", ProcessHandle.current().pid());
      out.println(new ObjectMapper().writeValueAsString(line));
    } else {
      out.println("catena control plane serving on " + endpoint + ", state in " + state);
    }
    out.flush();
    stopped.await();
    return 0;
  }

  /** The launcher agents run daemons with: this distribution's {@code bin/catena}. */
  static Path launcher() {
    String home = System.getenv("CATENA_HOME");
    if (home == null || home.isBlank()) {
      throw new IllegalStateException(
          "CATENA_HOME is not set: run the control plane through the distribution's bin/catena");
    }
    return Path.of(home, "bin", "catena");
  }

  /** The daemon kinds this distribution can run: the subcommands of {@code catena daemon}. */
  static Set<DaemonKind> availableKinds() {
    Set<String> names = new CommandLine(new DaemonCommand()).getSubcommands().keySet();
    Set<DaemonKind> kinds = EnumSet.noneOf(DaemonKind.class);
    for (DaemonKind k : DaemonKind.values()) {
      if (names.contains(k.id())) {
        kinds.add(k);
      }
    }
    return kinds;
  }
}
