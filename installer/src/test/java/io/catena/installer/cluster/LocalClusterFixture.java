package io.catena.installer.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.installer.CatenaCli;
import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.ListRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real local cluster of processes for tests outside this package: {@code catena up --headless
 * --detach} through a launcher like the distribution's bin/catena over the test class path, its
 * endpoints and tokens, and a teardown that kills every process it started, by pid.
 */
public final class LocalClusterFixture implements AutoCloseable {

  /** The outcome of one {@code catena} command. */
  public record Run(int exit, String out, String err) {}

  private final Path home;
  private final Path data;
  private final Path launcher;
  private final Set<ProcessHandle> seen = new LinkedHashSet<>();
  private JsonNode summary;

  private LocalClusterFixture(Path home, Path data) throws IOException {
    this.home = home;
    this.data = data;
    this.launcher = writeLauncher(home);
  }

  /** Starts a cluster of {@code nodes} nodes in {@code data} and waits (bounded) until ready. */
  public static LocalClusterFixture up(Path home, Path data, int nodes) throws Exception {
    LocalClusterFixture f = new LocalClusterFixture(home, data);
    try {
      Run up =
          f.catena(
              600,
              "up",
              "--headless",
              "--detach",
              "--nodes",
              Integer.toString(nodes),
              "--data",
              data.toString(),
              "--timeout",
              "500",
              "--json");
      f.collectPids();
      if (up.exit() != 0) {
        throw new IllegalStateException("catena up failed (" + up.exit() + "): " + up.err());
      }
      f.summary = new ObjectMapper().readTree(up.out());
      return f;
    } catch (Exception | Error e) {
      f.close();
      throw e;
    }
  }

  /** The control plane's API, HOST:PORT. */
  public String controlPlane() {
    return summary.get("controlPlane").asText();
  }

  /** The admin token the console sends for changes (as {@code catena up} hands it on). */
  public String adminToken() throws IOException {
    Path file = new LocalCluster(data).controlPlaneDir().resolve("admin.token");
    return Files.isReadable(file) ? Files.readString(file).strip() : "";
  }

  /** The default tenant's token. */
  public String tenantToken() {
    return summary.get("token").asText();
  }

  public String gateway() {
    return summary.get("gateway").asText();
  }

  /** A blocking control-plane call over a fresh channel (30 s deadline). */
  public <T> T onControlPlane(
      java.util.function.Function<ControlPlaneGrpc.ControlPlaneBlockingStub, T> call) {
    ManagedChannel channel =
        Grpc.newChannelBuilder(controlPlane(), InsecureChannelCredentials.create()).build();
    try {
      return call.apply(
          ControlPlaneGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow();
    }
  }

  /** The chain as the control plane reports it now. */
  public ChainInfo chain(int chainId) {
    return onControlPlane(
        cp ->
            cp.listChains(ListRequest.getDefaultInstance()).getChainsList().stream()
                .filter(c -> c.getChainId() == chainId)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no chain " + chainId)));
  }

  /** The storage daemon's endpoint on {@code node}. */
  public String storageEndpoint(String node) {
    return onControlPlane(
        cp ->
            cp.listNodes(ListRequest.getDefaultInstance()).getNodesList().stream()
                .filter(n -> n.getName().equals(node))
                .flatMap(n -> n.getDaemonsList().stream())
                .filter(d -> d.getKind().equals("storage"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no storage daemon on " + node))
                .getEndpoint());
  }

  /** Runs {@code catena ARGS} against this cluster's home, bounded by {@code timeoutSeconds}. */
  public Run catena(long timeoutSeconds, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(launcher.toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("CATENA_HOME", home.toString());
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    seen.add(p.toHandle());
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", args)
              + " did not end in "
              + timeoutSeconds
              + " s: "
              + Files.readString(err));
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Records the pids of the control plane, every agent and every daemon now running. */
  public void collectPids() throws IOException {
    LocalCluster cluster = new LocalCluster(data);
    cluster.controlPlane().flatMap(ControlPlaneInfo::process).ifPresent(seen::add);
    if (Files.isDirectory(data.resolve("nodes"))) {
      try (var nodes = Files.list(data.resolve("nodes"))) {
        for (Path n : nodes.toList()) {
          cluster.agentProcess(n.getFileName().toString()).ifPresent(seen::add);
        }
      }
    }
    for (LocalCluster.DaemonPid d : cluster.daemonPids()) {
      LocalProcesses.alive(d.pid(), d.started()).ifPresent(seen::add);
    }
  }

  /** Kills every process this fixture started or found (by pid) and waits for each to exit. */
  @Override
  public void close() throws Exception {
    collectPids();
    for (ProcessHandle p : seen) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : seen) {
      p.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private static Path writeLauncher(Path home) throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.writeString(
        conf.resolve("logback.xml"),
        """
        <configuration>
          <appender name="E" class="ch.qos.logback.core.ConsoleAppender">
            <target>System.err</target>
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="E"/></root>
        </configuration>
        """);
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path script = bin.resolve("catena");
    Files.writeString(
        script,
        "#!/bin/sh\nexec '"
            + java
            + "' ${CATENA_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
            + " --enable-native-access=ALL-UNNAMED -Dlogback.configurationFile='"
            + conf.resolve("logback.xml")
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + CatenaCli.class.getName()
            + " \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }
}
