package io.catena.installer.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code control-plane.properties} in the control plane's state directory: the running control
 * plane's pid, process start and endpoint, so that the CLI finds it from a data directory.
 */
public record ControlPlaneInfo(long pid, Instant started, String endpoint) {

  static final String FILE = "control-plane.properties";

  static void write(Path stateDir, String endpoint) {
    ProcessHandle self = ProcessHandle.current();
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(self.pid()));
    p.setProperty("started", self.info().startInstant().map(Instant::toString).orElse(""));
    p.setProperty("endpoint", endpoint);
    Path file = stateDir.resolve(FILE);
    Path tmp = stateDir.resolve(FILE + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "the running control plane");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Optional<ControlPlaneInfo> read(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      return Optional.empty();
    }
    String started = p.getProperty("started", "");
    return Optional.of(
        new ControlPlaneInfo(
            Long.parseLong(p.getProperty("pid", "0")),
            started.isEmpty() ? null : Instant.parse(started),
            p.getProperty("endpoint", "")));
  }

  /** The process, if it is still the one that wrote the file. */
  Optional<ProcessHandle> process() {
    return LocalProcesses.alive(pid, started);
  }
}
