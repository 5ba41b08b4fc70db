package io.catena.agents;

import com.google.protobuf.TextFormat;
import io.catena.protocol.agent.DaemonSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemons of one node: deploys them into the agent's layout, starts, stops and removes them,
 * and on opening recovers what a previous agent left (adopting live processes by pid file).
 */
public final class DaemonSupervisor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DaemonSupervisor.class);

  private final AgentLayout layout;
  private final Optional<Path> catenaHome;
  private final BackoffPolicy defaults;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Map<String, SupervisedDaemon> daemons = new ConcurrentSkipListMap<>();

  private DaemonSupervisor(
      AgentLayout layout, Optional<Path> catenaHome, BackoffPolicy defaults, Clock clock) {
    this.layout = layout;
    this.catenaHome = catenaHome;
    this.defaults = defaults;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("catena-agent-supervisor").daemon(true).factory());
  }

  /** Opens the layout and recovers every deployed daemon. */
  public static DaemonSupervisor open(
      AgentLayout layout, Optional<Path> catenaHome, BackoffPolicy defaults) throws IOException {
    DaemonSupervisor supervisor =
        new DaemonSupervisor(layout, catenaHome, defaults, Clock.systemUTC());
    Files.createDirectories(layout.daemonsDir());
    List<Path> dirs;
    try (Stream<Path> list = Files.list(layout.daemonsDir())) {
      dirs = list.filter(Files::isDirectory).sorted(Comparator.naturalOrder()).toList();
    }
    for (Path dir : dirs) {
      String name = dir.getFileName().toString();
      Path specFile = dir.resolve("spec.txtpb");
      if (!Files.exists(specFile)) {
        continue;
      }
      try {
        DaemonSpec spec = TextFormat.parse(Files.readString(specFile), DaemonSpec.class);
        SupervisedDaemon daemon = supervisor.newDaemon(spec, layout.stateFile(name));
        supervisor.daemons.put(name, daemon);
        daemon.recover();
      } catch (IOException | RuntimeException e) {
        LOG.error("cannot recover daemon {} from {}: {}", name, dir, e.getMessage());
      }
    }
    return supervisor;
  }

  /**
   * Probes every running daemon's health every {@code interval}, so metrics show current health
   * without anyone asking for status. Probes run on a virtual thread, never on the restart timer.
   */
  public void probeHealthEvery(Duration interval) {
    AtomicBoolean busy = new AtomicBoolean();
    scheduler.scheduleWithFixedDelay(
        () -> {
          if (busy.compareAndSet(false, true)) {
            Thread.ofVirtual()
                .name("catena-agent-health")
                .start(
                    () -> {
                      try {
                        daemons.values().forEach(SupervisedDaemon::probeHealth);
                      } finally {
                        busy.set(false);
                      }
                    });
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  public AgentLayout layout() {
    return layout;
  }

  /** Writes the spec, config file and directories; the daemon must be new, stopped or flapping. */
  public DaemonSnapshot deploy(DaemonSpec spec) {
    String name = AgentLayout.checkDaemonName(spec.getName());
    LaunchPlan plan;
    try {
      plan = LaunchPlan.of(spec, layout, catenaHome.or(() -> Optional.of(Path.of("/"))));
    } catch (IllegalArgumentException e) {
      throw new AgentException(AgentException.Reason.INVALID_ARGUMENT, e.getMessage());
    }
    synchronized (daemons) {
      SupervisedDaemon existing = daemons.get(name);
      if (existing != null) {
        existing.requireDown("deploy a new spec for");
      }
      try {
        Files.createDirectories(layout.configDir(name));
        Files.createDirectories(layout.logsDir(name));
        for (Path dir : plan.dataDirs()) {
          Files.createDirectories(dir);
        }
        AgentLayout.writeAtomically(plan.configFile(), spec.getConfigContent());
        AgentLayout.writeAtomically(
            layout.specFile(name), TextFormat.printer().printToString(spec));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lay out daemon " + name + ": " + e.getMessage(), e);
      }
      if (existing != null) {
        existing.replaceSpec(spec);
        return existing.snapshot();
      }
      SupervisedDaemon daemon;
      try {
        daemon = newDaemon(spec, layout.stateFile(name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      daemons.put(name, daemon);
      LOG.info("deployed daemon {} ({} {})", name, spec.getKind(), spec.getVersion());
      return daemon.snapshot();
    }
  }

  public DaemonSnapshot start(String name) {
    SupervisedDaemon daemon = get(name);
    daemon.start();
    return daemon.snapshot();
  }

  public DaemonSnapshot stop(String name, Optional<Duration> grace) {
    SupervisedDaemon daemon = get(name);
    daemon.stop(grace.orElseGet(() -> graceOf(daemon)));
    return daemon.snapshot();
  }

  public DaemonSnapshot restart(String name, Optional<Duration> grace) {
    SupervisedDaemon daemon = get(name);
    daemon.restart(grace.orElseGet(() -> graceOf(daemon)));
    return daemon.snapshot();
  }

  /** Deletes a stopped daemon's directory, and its data directories when asked. */
  public void remove(String name, boolean deleteData) {
    synchronized (daemons) {
      SupervisedDaemon daemon = get(name);
      daemon.requireDown("remove");
      List<Path> data = daemon.plan().dataDirs();
      daemon.detach();
      daemons.remove(name);
      try {
        if (deleteData) {
          for (Path dir : data) {
            deleteTree(dir);
          }
        } else {
          // Keep the default data dir by moving it out of the daemon dir before deleting the rest.
          Path defaultData = layout.defaultDataDir(name);
          if (data.contains(defaultData) && Files.exists(defaultData)) {
            Path kept = layout.root().resolve("removed").resolve(name + "-" + clock.millis());
            Files.createDirectories(kept.getParent());
            Files.move(defaultData, kept);
            LOG.info("kept the data of removed daemon {} in {}", name, kept);
          }
        }
        deleteTree(layout.daemonDir(name));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove daemon " + name + ": " + e.getMessage(), e);
      }
    }
  }

  /** One daemon's status, health probed now. */
  public DaemonSnapshot status(String name) {
    SupervisedDaemon daemon = get(name);
    daemon.probeHealth();
    return daemon.snapshot();
  }

  /** Every daemon's status, health probed now. */
  public List<DaemonSnapshot> statusAll() {
    List<DaemonSnapshot> all = new ArrayList<>();
    for (SupervisedDaemon daemon : daemons.values()) {
      daemon.probeHealth();
      all.add(daemon.snapshot());
    }
    return all;
  }

  /** Snapshots without probing (for metrics scrapes). */
  public List<DaemonSnapshot> snapshots() {
    return daemons.values().stream().map(SupervisedDaemon::snapshot).toList();
  }

  public Path logFile(String name) {
    get(name);
    return layout.logFile(name);
  }

  public boolean isDeployed(String name) {
    return daemons.containsKey(name);
  }

  /** Stops supervising; the daemons keep running and the next agent adopts them. */
  @Override
  public void close() {
    daemons.values().forEach(SupervisedDaemon::detach);
    scheduler.shutdownNow();
  }

  private SupervisedDaemon get(String name) {
    SupervisedDaemon daemon = daemons.get(name);
    if (daemon == null) {
      throw AgentException.notFound(name);
    }
    return daemon;
  }

  private SupervisedDaemon newDaemon(DaemonSpec spec, Path stateFile) throws IOException {
    return new SupervisedDaemon(
        layout, spec, DaemonStateFile.read(stateFile), scheduler, catenaHome, defaults, clock);
  }

  private static Duration graceOf(SupervisedDaemon daemon) {
    int seconds = daemon.spec().getStopGraceSeconds();
    return seconds > 0 ? Duration.ofSeconds(seconds) : SupervisedDaemon.DEFAULT_STOP_GRACE;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
