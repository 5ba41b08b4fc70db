package io.catena.agents;

import static io.catena.agents.TestProcesses.alive;
import static io.catena.agents.TestProcesses.await;
import static io.catena.agents.TestProcesses.fakeSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.agents.SupervisedDaemon.State;
import io.catena.protocol.agent.DaemonSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonSupervisorTest {

  @TempDir Path root;
  private final TestProcesses processes = new TestProcesses();
  private DaemonSupervisor supervisor;

  @BeforeEach
  void open() throws Exception {
    supervisor =
        DaemonSupervisor.open(new AgentLayout(root), Optional.empty(), BackoffPolicy.DEFAULT);
  }

  @AfterEach
  void tearDown() {
    supervisor.snapshots().forEach(d -> d.pid().ifPresent(processes::track));
    supervisor.close();
    processes.killAll();
  }

  private long runningPid(String name) {
    await(
        name + " running",
        () ->
            supervisor.snapshots().stream()
                .anyMatch(d -> d.name().equals(name) && d.state() == State.RUNNING));
    return processes.track(supervisor.status(name).pid().orElseThrow());
  }

  private void awaitHealthy(String name) {
    await(
        name + " healthy",
        () -> supervisor.status(name).health().health() == HealthProber.Health.HEALTHY);
  }

  @Test
  void deployLaysOutConfigDataAndLogsAndStartsNothing() throws Exception {
    DaemonSnapshot deployed = supervisor.deploy(fakeSpec("storage-1").build());

    AgentLayout layout = new AgentLayout(root);
    assertThat(deployed.state()).isEqualTo(State.STOPPED);
    assertThat(layout.configDir("storage-1").resolve("storage.conf")).hasContent("answer = 42");
    assertThat(layout.defaultDataDir("storage-1")).isDirectory();
    assertThat(layout.logsDir("storage-1")).isDirectory();
    assertThat(layout.specFile("storage-1")).exists();
    assertThat(deployed.pid()).isEmpty();
  }

  @Test
  void startStopAndRestartRunTheProcessAndProbeItsHealth() throws Exception {
    supervisor.deploy(fakeSpec("meta-1").build());

    supervisor.start("meta-1");
    long first = runningPid("meta-1");
    awaitHealthy("meta-1");
    assertThat(alive(first)).isTrue();
    assertThat(new AgentLayout(root).pidFile("meta-1")).content().contains("pid=" + first);
    // the config path placeholder reached the daemon's environment
    await("config line in log", () -> logText("meta-1").contains("config=" + root));

    DaemonSnapshot restarted = supervisor.restart("meta-1", Optional.empty());
    long second = processes.track(restarted.pid().orElseThrow());
    assertThat(second).isNotEqualTo(first);
    assertThat(alive(first)).isFalse();
    assertThat(restarted.restartCount()).as("manual restarts are not crash restarts").isZero();

    DaemonSnapshot stopped = supervisor.stop("meta-1", Optional.empty());
    assertThat(stopped.state()).isEqualTo(State.STOPPED);
    assertThat(stopped.pid()).isEmpty();
    assertThat(stopped.lastExitReason()).startsWith("stopped on request");
    assertThat(stopped.health().health()).isEqualTo(HealthProber.Health.UNKNOWN);
    assertThat(alive(second)).isFalse();
    assertThat(new AgentLayout(root).pidFile("meta-1")).doesNotExist();
  }

  @Test
  void aDaemonIgnoringSigtermIsKilledWhenItsGraceRunsOut() throws Exception {
    supervisor.deploy(fakeSpec("stubborn", "--ignore-sigterm").build());
    supervisor.start("stubborn");
    long pid = runningPid("stubborn");
    awaitHealthy("stubborn"); // its SIGTERM handler is installed before it serves

    DaemonSnapshot stopped =
        supervisor.stop("stubborn", Optional.of(java.time.Duration.ofSeconds(1)));

    assertThat(stopped.state()).isEqualTo(State.STOPPED);
    assertThat(stopped.lastExitReason())
        .isEqualTo("stopped on request (killed by signal 9 (SIGKILL))");
    assertThat(alive(pid)).isFalse();
  }

  @Test
  void aDaemonKilledWithSigkillIsRestartedAfterItsBackoff() throws Exception {
    supervisor.deploy(fakeSpec("storage-1").build());
    supervisor.start("storage-1");
    long first = runningPid("storage-1");

    ProcessHandle.of(first).orElseThrow().destroyForcibly();

    await(
        "a new process",
        () -> supervisor.snapshots().getFirst().pid().stream().anyMatch(pid -> pid != first));
    long second = runningPid("storage-1");
    DaemonSnapshot status = supervisor.status("storage-1");
    assertThat(second).isNotEqualTo(first);
    assertThat(status.restartCount()).isEqualTo(1);
    assertThat(status.lastExitReason()).isEqualTo("killed by signal 9 (SIGKILL)");
    awaitHealthy("storage-1");
    assertThat(logText("storage-1")).contains("exited: killed by signal 9", "restart", "starting:");
  }

  @Test
  void aDaemonThatKeepsCrashingIsHeldBackAsFlappingUntilStartedAgain() throws Exception {
    // Exits with code 3 shortly after start; the spec's policy holds it back at the 4th crash.
    DaemonSpec crashing = fakeSpec("gw-1", "--exit-after-millis", "100").build();
    supervisor.deploy(crashing);
    supervisor.start("gw-1");

    await("flapping", () -> supervisor.snapshots().getFirst().state() == State.FLAPPING);
    DaemonSnapshot held = supervisor.status("gw-1");
    assertThat(held.restartCount()).isEqualTo(3);
    assertThat(held.lastExitReason()).isEqualTo("exit code 3");
    assertThat(held.pid()).isEmpty();
    assertThat(logText("gw-1")).contains("held back as flapping: 4 crashes");

    // A fixed spec is deployed and started: the hold is released.
    supervisor.deploy(fakeSpec("gw-1").build());
    supervisor.start("gw-1");
    runningPid("gw-1");
    awaitHealthy("gw-1");
  }

  @Test
  void aStartedDaemonWhoseCommandCannotRunBacksOffAndReportsWhy() {
    supervisor.deploy(
        fakeSpec("broken")
            .clearCommand()
            .addCommand(root.resolve("no-such-binary").toString())
            .build());

    DaemonSnapshot status = supervisor.start("broken");

    assertThat(status.state()).isIn(State.BACKING_OFF, State.FLAPPING);
    assertThat(status.lastExitReason()).startsWith("failed to start:");
    supervisor.stop("broken", Optional.empty());
  }

  @Test
  void deployingOverARunningDaemonIsRefusedAndUnknownNamesAreNotFound() {
    supervisor.deploy(fakeSpec("meta-1").build());
    supervisor.start("meta-1");
    runningPid("meta-1");

    assertThatThrownBy(() -> supervisor.deploy(fakeSpec("meta-1").build()))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("stop it first");
    assertThatThrownBy(() -> supervisor.start("nope"))
        .isInstanceOfSatisfying(
            AgentException.class,
            e -> assertThat(e.reason()).isEqualTo(AgentException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> supervisor.deploy(fakeSpec("Bad Name").build()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> supervisor.deploy(fakeSpec("x").addCommand("${nope}").build()))
        .hasMessageContaining("unknown placeholder");
  }

  @Test
  void removeDeletesTheDaemonButKeepsItsDataUnlessAsked() throws Exception {
    supervisor.deploy(fakeSpec("storage-2").build());
    AgentLayout layout = new AgentLayout(root);
    Files.writeString(layout.defaultDataDir("storage-2").resolve("chunk"), "data");

    supervisor.remove("storage-2", false);

    assertThat(layout.daemonDir("storage-2")).doesNotExist();
    assertThat(supervisor.isDeployed("storage-2")).isFalse();
    try (var kept = Files.list(root.resolve("removed"))) {
      assertThat(kept.toList())
          .singleElement()
          .satisfies(d -> assertThat(d.resolve("chunk")).hasContent("data"));
    }
  }

  @Test
  void aPidFileNamingAnotherProcessIsNotAdoptedAndTheDaemonIsStartedAfresh() throws Exception {
    supervisor.deploy(fakeSpec("meta-1").build());
    supervisor.start("meta-1");
    long pid = runningPid("meta-1");
    supervisor.stop("meta-1", Optional.empty());
    supervisor.close();
    AgentLayout layout = new AgentLayout(root);
    // The daemon should run, and its pid file names a live process that is not it (a recycled pid):
    // this test's own JVM, with the recorded start time of the stopped daemon.
    new DaemonStateFile(DaemonStateFile.Desired.RUNNING, 0, "").write(layout.stateFile("meta-1"));
    long recycled = ProcessHandle.current().pid();
    new PidFile(recycled, Instant.now().minusSeconds(3600), TestProcesses.java())
        .write(layout.pidFile("meta-1"));

    supervisor = DaemonSupervisor.open(layout, Optional.empty(), BackoffPolicy.DEFAULT);

    long fresh = runningPid("meta-1");
    DaemonSnapshot status = supervisor.status("meta-1");
    assertThat(fresh).isNotIn(recycled, pid);
    assertThat(status.adopted()).isFalse();
    assertThat(status.lastExitReason()).isEqualTo("not running when the agent started");
  }

  private String logText(String name) {
    try {
      return Files.readString(new AgentLayout(root).logFile(name));
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
