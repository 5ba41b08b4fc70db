package io.catena.agents;

import io.catena.agents.DaemonStateFile.Desired;
import io.catena.agents.RestartPlanner.CrashHistory;
import io.catena.agents.RestartPlanner.Decision;
import io.catena.protocol.agent.DaemonSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon under supervision: launches it as a child process with its output appended to its log,
 * restarts it with back-off when it exits unasked, holds it back when it flaps, and adopts a
 * process a previous agent left running. All state changes happen under this object's lock.
 */
public final class SupervisedDaemon {

  /** What the daemon is doing now. */
  public enum State {
    STOPPED,
    RUNNING,
    BACKING_OFF,
    FLAPPING
  }

  private static final Logger LOG = LoggerFactory.getLogger(SupervisedDaemon.class);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

  private final AgentLayout layout;
  private final String name;
  private final ScheduledExecutorService scheduler;
  private final Optional<Path> catenaHome;
  private final BackoffPolicy agentDefaults;
  private final Clock clock;

  private DaemonSpec spec;
  private BackoffPolicy policy;
  private State state = State.STOPPED;
  private Desired desired;
  private ProcessHandle handle;
  private Process process;
  private boolean adopted;
  private Instant startedAt;
  private long generation;
  private boolean stopping;
  private CrashHistory history = CrashHistory.EMPTY;
  private int restartCount;
  private String lastExitReason;
  private ScheduledFuture<?> pendingStart;
  private Instant nextStartAt;
  private volatile HealthProber.Result lastHealth = HealthProber.Result.NOT_RUNNING;

  SupervisedDaemon(
      AgentLayout layout,
      DaemonSpec spec,
      DaemonStateFile saved,
      ScheduledExecutorService scheduler,
      Optional<Path> catenaHome,
      BackoffPolicy agentDefaults,
      Clock clock) {
    this.layout = layout;
    this.name = spec.getName();
    this.scheduler = scheduler;
    this.catenaHome = catenaHome;
    this.agentDefaults = agentDefaults;
    this.clock = clock;
    this.spec = spec;
    this.policy = agentDefaults.overriddenBy(spec.getRestartPolicy());
    this.desired = saved.desired();
    this.restartCount = saved.restartCount();
    this.lastExitReason = saved.lastExitReason();
    if (desired == Desired.HELD) {
      state = State.FLAPPING;
    }
  }

  public String name() {
    return name;
  }

  synchronized DaemonSpec spec() {
    return spec;
  }

  synchronized LaunchPlan plan() {
    return LaunchPlan.of(spec, layout, catenaHome);
  }

  /** Takes a new spec; only while the daemon is not running or waiting to start. */
  synchronized void replaceSpec(DaemonSpec newSpec) {
    requireDown("deploy a new spec for");
    spec = newSpec;
    policy = agentDefaults.overriddenBy(newSpec.getRestartPolicy());
    state = State.STOPPED;
    desired = Desired.STOPPED;
    history = CrashHistory.EMPTY;
    persist();
  }

  synchronized void requireDown(String action) {
    if (state == State.RUNNING || state == State.BACKING_OFF) {
      throw new AgentException(
          AgentException.Reason.FAILED_PRECONDITION,
          "cannot " + action + " daemon '" + name + "' while it is " + state + ": stop it first");
    }
  }

  /**
   * Called once when the agent starts: adopts the process the pid file names if it is still that
   * daemon, restarts a daemon that should run but died while no agent watched, or stays stopped.
   */
  synchronized void recover() throws IOException {
    Optional<PidFile> pidFile = PidFile.read(layout.pidFile(name));
    Optional<ProcessHandle> live = pidFile.flatMap(PidFile::findLiveProcess);
    if (live.isPresent()) {
      ProcessHandle found = live.get();
      generation++;
      handle = found;
      process = null;
      adopted = true;
      startedAt = pidFile.get().startedAt();
      state = State.RUNNING;
      if (desired != Desired.RUNNING) {
        desired = Desired.RUNNING;
        persist();
      }
      long gen = generation;
      found.onExit().thenRun(() -> exited(gen, "exited; exit status unknown to an adopting agent"));
      LOG.info("adopted daemon {} (pid {})", name, found.pid());
      appendToLog("adopted by agent pid " + ProcessHandle.current().pid());
      return;
    }
    Files.deleteIfExists(layout.pidFile(name));
    if (desired == Desired.RUNNING) {
      lastExitReason = "not running when the agent started";
      restartCount++;
      launch();
    }
  }

  /** Starts the daemon, or releases it from FLAPPING. Returns at once when already running. */
  synchronized void start() {
    if (state == State.RUNNING) {
      return;
    }
    cancelPendingStart();
    history = CrashHistory.EMPTY;
    desired = Desired.RUNNING;
    launch();
  }

  /** Stops the daemon: SIGTERM, SIGKILL after {@code grace}; returns once it has exited. */
  void stop(Duration grace) {
    ProcessHandle target;
    Process child;
    long gen;
    synchronized (this) {
      cancelPendingStart();
      desired = Desired.STOPPED;
      if (state != State.RUNNING) {
        state = State.STOPPED;
        persist();
        return;
      }
      stopping = true;
      target = handle;
      child = process;
      gen = generation;
    }
    List<ProcessHandle> descendants = target.descendants().toList();
    appendToLog("stopping (SIGTERM, SIGKILL after " + grace.toSeconds() + " s)");
    target.destroy();
    if (!awaitExit(target, grace)) {
      LOG.warn("daemon {} (pid {}) ignored SIGTERM for {}; killing it", name, target.pid(), grace);
      target.destroyForcibly();
      if (!awaitExit(target, KILL_WAIT)) {
        throw new IllegalStateException(
            "daemon '" + name + "' (pid " + target.pid() + ") did not exit after SIGKILL");
      }
    }
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    exited(gen, child != null ? ExitReasons.of(child.exitValue()) : "exited");
  }

  void restart(Duration grace) {
    stop(grace);
    start();
  }

  /** Stops following the daemon without touching its process: the agent is shutting down. */
  synchronized void detach() {
    cancelPendingStart();
    generation++;
  }

  synchronized DaemonSnapshot snapshot() {
    Instant now = clock.instant();
    boolean running = state == State.RUNNING;
    LaunchPlan plan = LaunchPlan.of(spec, layout, catenaHome.or(() -> Optional.of(Path.of("."))));
    return new DaemonSnapshot(
        name,
        spec.getKind(),
        spec.getVersion(),
        state,
        running ? OptionalLong.of(handle.pid()) : OptionalLong.empty(),
        running ? Duration.between(startedAt, now).abs() : Duration.ZERO,
        restartCount,
        lastExitReason,
        running ? lastHealth : HealthProber.Result.NOT_RUNNING,
        running && adopted,
        state == State.BACKING_OFF ? Optional.ofNullable(nextStartAt) : Optional.empty(),
        plan.daemonDir(),
        plan.dataDirs());
  }

  /** Probes health now (outside the lock: a probe may take up to its timeout). */
  HealthProber.Result probeHealth() {
    DaemonSpec current;
    synchronized (this) {
      if (state != State.RUNNING) {
        lastHealth = HealthProber.Result.NOT_RUNNING;
        return lastHealth;
      }
      current = spec;
    }
    HealthProber.Result result =
        current.hasHealth()
            ? HealthProber.probe(current.getHealth(), layout.daemonDir(name))
            : HealthProber.Result.NO_PROBE;
    lastHealth = result;
    return result;
  }

  // ---- internals, called with the lock held ----

  private void launch() {
    LaunchPlan plan;
    try {
      plan = LaunchPlan.of(spec, layout, catenaHome);
    } catch (IllegalArgumentException e) {
      state = State.STOPPED;
      desired = Desired.STOPPED;
      persist();
      throw new AgentException(AgentException.Reason.INVALID_ARGUMENT, e.getMessage());
    }
    generation++;
    long gen = generation;
    try {
      for (Path dir : plan.dataDirs()) {
        Files.createDirectories(dir);
      }
      Files.createDirectories(plan.logFile().getParent());
      appendToLog("starting: " + String.join(" ", plan.argv()));
      ProcessBuilder builder =
          new ProcessBuilder(plan.argv())
              .directory(plan.daemonDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(plan.logFile().toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(plan.env());
      Process started = builder.start();
      process = started;
      handle = started.toHandle();
      adopted = false;
      stopping = false;
      PidFile pidFile = PidFile.of(handle);
      startedAt = pidFile.startedAt().equals(Instant.EPOCH) ? clock.instant() : pidFile.startedAt();
      state = State.RUNNING;
      nextStartAt = null;
      lastHealth = new HealthProber.Result(HealthProber.Health.UNKNOWN, "not probed yet");
      pidFile.write(layout.pidFile(name));
      persist();
      LOG.info("started daemon {} (pid {})", name, handle.pid());
      started.onExit().thenAccept(p -> exited(gen, ExitReasons.of(p.exitValue())));
    } catch (IOException e) {
      LOG.warn("daemon {} failed to start: {}", name, e.getMessage());
      handle = null;
      process = null;
      state = State.RUNNING; // so that exited() treats it as a crash
      startedAt = clock.instant();
      crashed("failed to start: " + e.getMessage());
    }
  }

  /** The process of generation {@code gen} has exited, asked to or not. */
  private synchronized void exited(long gen, String reason) {
    if (gen != generation || state != State.RUNNING) {
      return;
    }
    try {
      Files.deleteIfExists(layout.pidFile(name));
    } catch (IOException e) {
      LOG.warn("cannot delete pid file of {}: {}", name, e.getMessage());
    }
    appendToLog("exited: " + reason);
    if (stopping || desired == Desired.STOPPED) {
      stopping = false;
      handle = null;
      process = null;
      state = State.STOPPED;
      lastExitReason = "stopped on request (" + reason + ")";
      persist();
      return;
    }
    crashed(reason);
  }

  private void crashed(String reason) {
    Instant now = clock.instant();
    Duration ran = startedAt == null ? Duration.ZERO : Duration.between(startedAt, now).abs();
    handle = null;
    process = null;
    lastExitReason = reason;
    Decision decision = RestartPlanner.afterCrash(policy, history, ran, now);
    history = decision.history();
    switch (decision) {
      case Decision.HoldBack hold -> {
        state = State.FLAPPING;
        desired = Desired.HELD;
        LOG.warn(
            "daemon {} crashed {} times within {}: held back as flapping ({})",
            name,
            hold.crashesInWindow(),
            policy.flappingWindow(),
            reason);
        appendToLog(
            "held back as flapping: "
                + hold.crashesInWindow()
                + " crashes within "
                + policy.flappingWindow().toSeconds()
                + " s");
      }
      case Decision.RestartAfter restart -> {
        state = State.BACKING_OFF;
        nextStartAt = now.plus(restart.delay());
        long gen = generation;
        LOG.warn("daemon {} exited ({}); restarting in {}", name, reason, restart.delay());
        appendToLog("restarting in " + restart.delay().toMillis() + " ms");
        pendingStart =
            scheduler.schedule(
                () -> restartAfterBackoff(gen), restart.delay().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    persist();
  }

  private synchronized void restartAfterBackoff(long gen) {
    if (gen != generation || state != State.BACKING_OFF) {
      return;
    }
    pendingStart = null;
    restartCount++;
    launch();
  }

  private void cancelPendingStart() {
    if (pendingStart != null) {
      pendingStart.cancel(false);
      pendingStart = null;
    }
    nextStartAt = null;
    if (state == State.BACKING_OFF || state == State.FLAPPING) {
      state = State.STOPPED;
    }
  }

  private void persist() {
    try {
      new DaemonStateFile(desired, restartCount, lastExitReason == null ? "" : lastExitReason)
          .write(layout.stateFile(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the state of daemon " + name, e);
    }
  }

  private void appendToLog(String line) {
    Path log = layout.logFile(name);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "[catena-agent " + clock.instant() + "] " + line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.warn("cannot write to the log of {}: {}", name, e.getMessage());
    }
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    }
  }
}
