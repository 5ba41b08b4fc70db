package io.catena.installer.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.installer.CatenaCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test fixture that runs {@code catena} as real processes over the test class path (like the
 * distribution's bin/catena), remembers every process a local cluster in {@code data} started, and
 * kills them all by pid.
 */
public final class LocalClusterProcesses {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final Path data;
  private final List<ProcessHandle> seen = new ArrayList<>();
  private Path launcher;

  public LocalClusterProcesses(Path home, Path data) {
    this.home = home;
    this.data = data;
  }

  /** What one {@code catena} run ended with. */
  public record Run(int exit, String out, String err) {}

  /** Every process seen so far (see {@link #collectPids()}). */
  public List<ProcessHandle> seen() {
    return seen;
  }

  /** Adds the control plane, every agent and every daemon the cluster's files name. */
  public void collectPids() throws IOException {
    LocalCluster cluster = new LocalCluster(data);
    cluster.controlPlane().flatMap(ControlPlaneInfo::process).ifPresent(this::remember);
    if (Files.isDirectory(data.resolve("nodes"))) {
      try (var nodes = Files.list(data.resolve("nodes"))) {
        for (Path n : nodes.toList()) {
          cluster.agentProcess(n.getFileName().toString()).ifPresent(this::remember);
        }
      }
    }
    for (LocalCluster.DaemonPid d : cluster.daemonPids()) {
      LocalProcesses.alive(d.pid(), d.started()).ifPresent(this::remember);
    }
  }

  private void remember(ProcessHandle p) {
    if (seen.stream().noneMatch(s -> s.pid() == p.pid())) {
      seen.add(p);
    }
  }

  /** Kills every process seen or still named by the cluster's files, by pid, and waits for each. */
  public void killAll() throws Exception {
    collectPids();
    for (ProcessHandle p : seen) {
      p.destroyForcibly();
      p.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  /** The launcher script, written once under {@code home/bin}. */
  public Path launcher() throws IOException {
    if (launcher != null) {
      return launcher;
    }
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
    launcher = script;
    return script;
  }

  /** Runs {@code catena args...} and waits for it, at most {@code timeoutSeconds}. */
  public Run catena(long timeoutSeconds, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(launcher().toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("CATENA_HOME", home.toString());
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
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

  /** {@code catena up --headless --detach --nodes N --json}; fails unless it exits 0. */
  public JsonNode up(int nodes) throws Exception {
    Run up =
        catena(
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
    if (up.exit() != 0) {
      throw new AssertionError("catena up exited " + up.exit() + ": " + up.err());
    }
    return JSON.readTree(up.out());
  }

  /** {@code catena status --json} once Ready is True (polled, bounded). */
  public JsonNode awaitReadyStatus(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Run status = catena(120, "status", "--json", "--data", data.toString());
      if (status.exit() == 0) {
        last = JSON.readTree(status.out());
        for (JsonNode c : last.get("conditions")) {
          if (c.get("type").asText().equals("Ready") && c.get("status").asText().equals("True")) {
            return last;
          }
        }
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("not Ready within " + timeout + ": " + last);
  }
}
