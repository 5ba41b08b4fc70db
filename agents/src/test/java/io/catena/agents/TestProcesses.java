package io.catena.agents;

import io.catena.protocol.agent.DaemonKind;
import io.catena.protocol.agent.DaemonSpec;
import io.catena.protocol.agent.HealthProbe;
import io.catena.protocol.agent.PortFileProbe;
import io.catena.protocol.agent.RestartPolicy;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Launching helpers for tests: fake daemon specs, bounded waits, and a pid list killed in teardown.
 */
final class TestProcesses {

  static final Duration WAIT = Duration.ofSeconds(60);

  private final Set<Long> pids = ConcurrentHashMap.newKeySet();

  static String java() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  static String testClassesDir() {
    try {
      return Path.of(FakeDaemon.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A spec running {@link FakeDaemon} with a port-file health probe and fast restart rules. */
  static DaemonSpec.Builder fakeSpec(String name, String... extraArgs) {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-Xmx24m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                testClassesDir(),
                FakeDaemon.class.getName(),
                "--port-file",
                "${dir}/port"));
    command.addAll(List.of(extraArgs));
    return DaemonSpec.newBuilder()
        .setName(name)
        .setKind(DaemonKind.DAEMON_KIND_STORAGE)
        .setVersion("0.1.0-test")
        .addAllCommand(command)
        .setConfigContent("answer = 42\n")
        .putEnv("FAKE_CONFIG", "${config}")
        .setHealth(
            HealthProbe.newBuilder()
                .setPortFile(PortFileProbe.newBuilder().setPath("port").setHttpPath("/health")))
        .setRestartPolicy(
            RestartPolicy.newBuilder()
                .setInitialBackoffMillis(100)
                .setMaxBackoffMillis(400)
                .setFlappingCrashes(4)
                .setFlappingWindowMillis(120_000))
        .setStopGraceSeconds(10);
  }

  /** Remembers a pid to kill in teardown. */
  long track(long pid) {
    pids.add(pid);
    return pid;
  }

  /** Kills every tracked process (SIGKILL) and waits for each to be gone. */
  void killAll() {
    for (long pid : pids) {
      ProcessHandle.of(pid)
          .ifPresent(
              p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                try {
                  p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                  // reported by the test that left it; nothing more to do here
                }
              });
    }
    pids.clear();
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
