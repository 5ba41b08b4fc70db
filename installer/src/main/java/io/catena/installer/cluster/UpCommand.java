package io.catena.installer.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.controlplane.spec.ClusterManifest;
import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.GetStatusRequest;
import io.catena.protocol.controlplane.ReconcileStep;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catena up}: a local cluster on loopback. Starts (detached) the control plane and one agent
 * per node, each with its own directory under the data directory; the control plane deploys the
 * daemons through the agents. Shows progress until the cluster is ready, then its endpoints and the
 * default tenant's token. Run again on the same data directory, it resumes the cluster.
 */
@Command(
    name = "up",
    description = {
      "Start a local cluster on loopback (control plane, one agent per node, mgmtd, meta, storage),"
          + " or resume the one in --data. Prints the endpoints and the default tenant's token."
    },
    mixinStandardHelpOptions = true)
public final class UpCommand implements Callable<Integer> {

  static final String CONTROL_PLANE_OPTS = "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
  static final String AGENT_OPTS = "-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

  @Spec CommandSpec spec;

  @Option(
      names = "--nodes",
      description = "Nodes of a new cluster (default 3; a resumed cluster keeps its own).")
  Integer nodes;

  @Option(
      names = "--data",
      defaultValue = "catena-data",
      description = "The cluster's data directory (default: ./${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--headless", description = "Do not open the console.")
  boolean headless;

  @Option(
      names = "--plaintext",
      description =
          "Plain gRPC and HTTP on loopback, no certificates (default: mutual TLS from a cluster CA"
              + " the control plane creates; a cluster first started in plain text stays so).")
  boolean plaintext;

  @Option(names = "--detach", description = "Return once the cluster is ready.")
  boolean detach;

  @Option(
      names = "--timeout",
      defaultValue = "600",
      description = "Seconds to wait for the cluster to be ready (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--json", description = "Print the endpoints and token as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    LocalCluster cluster = new LocalCluster(data);
    ClusterManifest manifest = manifest(cluster);
    Path launcher = ControlPlaneCommand.launcher();
    PrintWriter err = spec.commandLine().getErr();
    List<String> nodeNames = manifest.spec().nodes().stream().map(n -> n.name()).toList();

    boolean tls = !plaintext && !startedInPlainText(cluster);
    ControlPlaneInfo cp = ensureControlPlane(cluster, launcher, tls, err);
    Optional<Path> ca =
        tls
            ? Optional.of(ControlPlaneWire.caCertificate(cluster.controlPlaneDir()))
            : Optional.empty();
    // The secret is the file's first line (the second says when it expires).
    String joinToken =
        Files.readAllLines(cluster.controlPlaneDir().resolve("join.token")).getFirst().strip();
    for (String node : nodeNames) {
      ensureAgent(cluster, launcher, node, cp.endpoint(), joinToken, ca, err);
    }

    ClusterStatusReply status;
    try (ClusterClient client = ClusterClient.connect(cluster.dir(), cp.endpoint())) {
      status = awaitReady(cluster, client, err);
    }
    printSummary(cluster, cp.endpoint(), status, ca);
    if (!detach) {
      followInForeground(cluster, cp.endpoint(), err);
    }
    return 0;
  }

  private ClusterManifest manifest(LocalCluster cluster) {
    if (cluster.exists()) {
      ClusterManifest existing = cluster.manifest();
      int have = existing.spec().nodes().size();
      if (nodes != null && nodes != have) {
        throw new IllegalArgumentException(
            cluster.dir()
                + " holds a "
                + have
                + "-node cluster; resume it without --nodes, or use another --data");
      }
      return existing;
    }
    int n = nodes == null ? 3 : nodes;
    if (n < 1 || n > 32) {
      throw new IllegalArgumentException("--nodes must be 1..32, got " + n);
    }
    ClusterManifest manifest = cluster.newManifest(n);
    cluster.writeManifest(manifest);
    return manifest;
  }

  /** A cluster whose control plane ran before without a CA keeps speaking plain text. */
  private static boolean startedInPlainText(LocalCluster cluster) {
    return Files.exists(cluster.controlPlaneDir().resolve("join.token"))
        && !ControlPlaneWire.hasCa(cluster.controlPlaneDir());
  }

  private ControlPlaneInfo ensureControlPlane(
      LocalCluster cluster, Path launcher, boolean tls, PrintWriter err)
      throws IOException, InterruptedException {
    Optional<ControlPlaneInfo> running =
        cluster.controlPlane().filter(i -> i.process().isPresent());
    if (running.isPresent()) {
      err.println("catena: control plane already running at " + running.get().endpoint());
      err.flush();
      return running.get();
    }
    Files.createDirectories(cluster.controlPlaneDir());
    int port = controlPlanePort(cluster);
    Files.deleteIfExists(cluster.controlPlaneDir().resolve(ControlPlaneInfo.FILE));
    List<String> argv =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "control-plane",
                "--spec",
                cluster.specFile().toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--state",
                cluster.controlPlaneDir().toString()));
    if (!tls) {
      argv.add("--plaintext");
    }
    Process process =
        LocalProcesses.startDetached(
            argv, Map.of("CATENA_JAVA_OPTS", CONTROL_PLANE_OPTS), cluster.controlPlaneLog());
    err.println(
        "catena: starting the control plane on 127.0.0.1:" + port + " (pid " + process.pid() + ")");
    err.flush();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ControlPlaneInfo> info = cluster.controlPlane();
      if (info.isPresent() && info.get().pid() == process.pid()) {
        return info.get();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the control plane exited at start: " + lastLine(cluster.controlPlaneLog()));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the control plane did not start within 120 s; see " + cluster.controlPlaneLog());
  }

  private static int controlPlanePort(LocalCluster cluster) throws IOException {
    Path file = cluster.controlPlanePortFile();
    if (Files.exists(file)) {
      return Integer.parseInt(Files.readString(file).strip());
    }
    int port;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      port = socket.getLocalPort();
    }
    Files.writeString(file, port + "\n");
    return port;
  }

  private static void ensureAgent(
      LocalCluster cluster,
      Path launcher,
      String node,
      String controlPlane,
      String joinToken,
      Optional<Path> ca,
      PrintWriter err)
      throws IOException {
    if (cluster.agentProcess(node).isPresent()) {
      return;
    }
    String rack =
        cluster.manifest().spec().nodes().stream()
            .filter(n -> n.name().equals(node))
            .findFirst()
            .map(n -> n.labels().getOrDefault("rack", "rack-" + node))
            .orElse("rack-" + node);
    Process process = startAgent(cluster, launcher, node, rack, controlPlane, joinToken, ca);
    err.println("catena: starting the agent of " + node + " (pid " + process.pid() + ")");
    err.flush();
  }

  /**
   * Starts a node's agent detached ({@code setsid}) with its root and disk under the cluster's data
   * directory, where {@code catena down} finds it.
   */
  static Process startAgent(
      LocalCluster cluster,
      Path launcher,
      String node,
      String rack,
      String controlPlane,
      String joinToken,
      Optional<Path> ca)
      throws IOException {
    Files.createDirectories(cluster.diskDir(node));
    List<String> argv =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "agent",
                "--root",
                cluster.nodeDir(node).toString(),
                "--control-plane",
                controlPlane,
                "--labels",
                "node=" + node + ",rack=" + rack,
                "--disk",
                cluster.diskDir(node).toString()));
    // With the CA the agent verifies the control plane and is issued its node certificate.
    ca.ifPresent(file -> argv.addAll(List.of("--control-plane-ca", file.toString())));
    return LocalProcesses.startDetached(
        argv,
        Map.of("CATENA_JOIN_TOKEN", joinToken, "CATENA_JAVA_OPTS", AGENT_OPTS),
        cluster.agentLog(node));
  }

  private ClusterStatusReply awaitReady(LocalCluster cluster, ClusterClient client, PrintWriter err)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
    String shown = "";
    ClusterStatusReply last = null;
    while (System.nanoTime() < deadline) {
      if (cluster.controlPlane().flatMap(ControlPlaneInfo::process).isEmpty()) {
        throw new IllegalStateException(
            "the control plane stopped: " + lastLine(cluster.controlPlaneLog()));
      }
      try {
        last = client.stub().getStatus(GetStatusRequest.getDefaultInstance());
        if (StatusCommand.isReady(last)) {
          return last;
        }
        String line = progressLine(last);
        if (!line.equals(shown)) {
          long s = Duration.ofNanos(System.nanoTime() - start).toSeconds();
          err.printf("catena: [%3ds] %s%n", s, line);
          err.flush();
          shown = line;
        }
      } catch (StatusRuntimeException e) {
        // not answering yet; keep waiting
      }
      Thread.sleep(500);
    }
    String why =
        last == null
            ? "the control plane never answered"
            : last.getConditionsList().stream()
                .filter(c -> c.getType().equals("Ready"))
                .map(c -> c.getReason() + ": " + c.getMessage())
                .findFirst()
                .orElse("");
    throw new IllegalStateException(
        "the cluster is not ready after "
            + timeoutSeconds
            + " s ("
            + why
            + "); it keeps running: see 'catena status', or stop it with 'catena down'");
  }

  static String progressLine(ClusterStatusReply s) {
    for (ReconcileStep step : s.getStepsList()) {
      if (!step.getOutcome().equals("DONE") && !step.getOutcome().equals("SKIPPED")) {
        return step.getName() + ": " + step.getMessage();
      }
    }
    return s.getConditionsList().stream()
        .filter(c -> c.getType().equals("Ready"))
        .map(c -> "waiting for the data to be served: " + c.getMessage())
        .findFirst()
        .orElse("reconciling");
  }

  private void printSummary(
      LocalCluster cluster, String endpoint, ClusterStatusReply s, Optional<Path> ca)
      throws IOException {
    Path tokenFile =
        cluster.controlPlaneDir().resolve("tokens").resolve(LocalCluster.DEFAULT_TENANT + ".token");
    String token = Files.exists(tokenFile) ? Files.readString(tokenFile).strip() : "";
    String gateway =
        s.getStepsList().stream()
            .filter(st -> st.getName().equals("gateway"))
            .findFirst()
            .map(
                st ->
                    st.getOutcome().equals("SKIPPED")
                        ? "not started: " + st.getMessage()
                        : s.getGatewayEndpoint())
            .orElse("");
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("ready", true);
      line.put("data", cluster.dir().toString());
      line.put("controlPlane", endpoint);
      line.put("mgmtd", s.getMgmtdEndpointsList());
      line.put("meta", s.getMetaEndpoint());
      line.put("gateway", s.getGatewayEndpoint());
      line.put("nodes", s.getNodes());
      line.put("tenant", LocalCluster.DEFAULT_TENANT);
      line.put("token", token);
      line.put("ca", ca.map(Path::toString).orElse(""));
      out.println(new ObjectMapper().writeValueAsString(line));
    } else {
      out.println(
          "catena: the cluster is ready ("
              + s.getNodes()
              + " nodes, data in "
              + cluster.dir()
              + ")");
      out.println("  control plane  " + endpoint);
      out.println("  mgmtd          " + String.join(",", s.getMgmtdEndpointsList()));
      out.println("  meta           " + s.getMetaEndpoint());
      out.println("  gateway        " + gateway);
      out.println(
          "  tenant         "
              + LocalCluster.DEFAULT_TENANT
              + ", token "
              + (token.isEmpty() ? "(not kept)" : token));
      ca.ifPresent(
          file ->
              out.println(
                  "  cluster CA     " + file + " (mutual TLS everywhere; curl --cacert it)"));
      out.println("  'catena status' shows it, 'catena down' stops it (data is kept).");
    }
    out.flush();
  }

  /** Without --detach: open the console if there is one, else follow the status until Ctrl-C. */
  private void followInForeground(LocalCluster cluster, String endpoint, PrintWriter err)
      throws InterruptedException {
    boolean display = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
    boolean console = spec.root().subcommands().containsKey("console");
    if (!headless && display && console) {
      List<String> argv =
          new ArrayList<>(
              List.of(
                  ControlPlaneCommand.launcher().toString(),
                  "console",
                  "--control-plane",
                  endpoint));
      try {
        ProcessBuilder consoleProcess = new ProcessBuilder(argv).inheritIO();
        // The admin token travels in the environment, not on a command line others can read.
        Path adminToken = cluster.controlPlaneDir().resolve("admin.token");
        if (Files.isReadable(adminToken)) {
          consoleProcess
              .environment()
              .put("CATENA_ADMIN_TOKEN", Files.readString(adminToken).strip());
        }
        if (ControlPlaneWire.hasCa(cluster.controlPlaneDir())) {
          consoleProcess
              .environment()
              .put(
                  "CATENA_CONTROL_PLANE_CA",
                  ControlPlaneWire.caCertificate(cluster.controlPlaneDir()).toString());
        }
        Process p = consoleProcess.start();
        p.waitFor();
        return;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the console: " + e.getMessage(), e);
      }
    }
    if (!headless) {
      err.println(
          display
              ? "catena: the console is not part of this build; running headless"
              : "catena: no display; running headless");
    }
    err.println("catena: following the cluster; Ctrl-C leaves it running ('catena down' stops it)");
    err.flush();
    String shown = "";
    try (ClusterClient client = ClusterClient.connect(cluster.dir(), endpoint)) {
      while (cluster.controlPlane().flatMap(ControlPlaneInfo::process).isPresent()) {
        try {
          ClusterStatusReply s = client.stub().getStatus(GetStatusRequest.getDefaultInstance());
          String line =
              s.getConditionsList().stream()
                      .map(c -> c.getType() + "=" + c.getStatus())
                      .reduce((a, b) -> a + " " + b)
                      .orElse("")
                  + (StatusCommand.isReady(s) ? "" : " (" + progressLine(s) + ")");
          if (!line.equals(shown)) {
            err.println("catena: " + line);
            err.flush();
            shown = line;
          }
        } catch (StatusRuntimeException e) {
          // the next poll tells
        }
        Thread.sleep(2000);
      }
    }
    err.println("catena: the control plane stopped");
  }

  static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
      return "(empty log " + log + ")";
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }
}
