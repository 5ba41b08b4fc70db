package io.catena.agents;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * A running daemon's identity: its pid plus what makes the pid unambiguous (the process start time
 * and executable), so that an agent adopting it after a restart never takes a recycled pid for it.
 */
public record PidFile(long pid, Instant startedAt, String command) {

  /** Start times are derived from clock ticks and boot time; allow for rounding. */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  /** Reads the live process's start time and command. */
  static PidFile of(ProcessHandle process) {
    ProcessHandle.Info info = process.info();
    return new PidFile(
        process.pid(), info.startInstant().orElse(Instant.EPOCH), info.command().orElse(""));
  }

  /** The live process this file names, if it is still the same process. */
  Optional<ProcessHandle> findLiveProcess() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isSameProcessAs);
  }

  boolean isSameProcessAs(ProcessHandle process) {
    ProcessHandle.Info info = process.info();
    Optional<Instant> start = info.startInstant();
    if (start.isEmpty() || startedAt.equals(Instant.EPOCH)) {
      return false;
    }
    boolean sameStart =
        Duration.between(startedAt, start.get()).abs().compareTo(START_TOLERANCE) <= 0;
    boolean sameCommand = command.isEmpty() || info.command().map(command::equals).orElse(false);
    return sameStart && sameCommand;
  }

  void write(Path file) throws IOException {
    AgentLayout.writeAtomically(
        file,
        "pid=" + pid + "\nstarted=" + startedAt + "\ncommand=" + command.replace("\n", " ") + "\n");
  }

  static Optional<PidFile> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(file).replace("\\", "\\\\")));
    try {
      return Optional.of(
          new PidFile(
              Long.parseLong(p.getProperty("pid", "").strip()),
              Instant.parse(p.getProperty("started", "").strip()),
              p.getProperty("command", "").strip()));
    } catch (RuntimeException e) {
      throw new IOException("pid file " + file + " is unreadable: " + e.getMessage(), e);
    }
  }
}
