package io.catena.installer.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Starting detached processes and ending them by pid. */
final class LocalProcesses {

  private LocalProcesses() {}

  /**
   * Starts {@code command} in a new session ({@code setsid}) so that it outlives this process and a
   * terminal's hang-up or Ctrl-C; stdin from /dev/null, stdout and stderr appended to {@code log}.
   */
  static Process startDetached(List<String> command, Map<String, String> env, Path log) {
    ProcessBuilder pb = new ProcessBuilder();
    java.util.ArrayList<String> argv = new java.util.ArrayList<>();
    argv.add("setsid");
    argv.addAll(command);
    pb.command(argv);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectErrorStream(true);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start " + command.getFirst() + ": " + e.getMessage(), e);
    }
  }

  /** The live process {@code pid}, if its start time matches {@code started} (±1 s; null: any). */
  static Optional<ProcessHandle> alive(long pid, Instant started) {
    if (pid <= 0) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                started == null
                    || p.info()
                        .startInstant()
                        .map(s -> Duration.between(s, started).abs().toMillis() <= 1000)
                        .orElse(true));
  }

  /** SIGTERM, then SIGKILL after {@code grace}; true when it had to kill. */
  static boolean stop(ProcessHandle process, Duration grace) {
    process.destroy();
    try {
      process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return false;
    } catch (Exception e) {
      process.destroyForcibly();
      try {
        process.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the caller's final check
      }
      return true;
    }
  }
}
