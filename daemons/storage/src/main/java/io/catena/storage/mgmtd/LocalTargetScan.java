package io.catena.storage.mgmtd;

import io.catena.storage.server.TargetConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The targets already on a daemon's disks: every {@code catena/targets/<id>} directory holding a
 * {@code target.properties} marker (written when the target was created). A restarted daemon
 * reopens these before it follows mgmtd, so their data is served again after the usual sync.
 */
public final class LocalTargetScan {

  private LocalTargetScan() {}

  public static List<TargetConfig> scan(List<Path> dataDirs) {
    List<TargetConfig> found = new ArrayList<>();
    for (Path disk : dataDirs) {
      Path targets = disk.resolve("catena").resolve("targets");
      if (!Files.isDirectory(targets)) {
        continue;
      }
      try (Stream<Path> dirs = Files.list(targets)) {
        for (Path dir : dirs.sorted().toList()) {
          Path marker = dir.resolve("target.properties");
          if (!Files.isRegularFile(marker)) {
            continue;
          }
          Properties p = new Properties();
          try (Reader r = Files.newBufferedReader(marker)) {
            p.load(r);
          }
          try {
            found.add(
                new TargetConfig(
                    Long.parseLong(p.getProperty("target.id", "")),
                    Integer.parseInt(p.getProperty("chain.id", "")),
                    dir));
          } catch (NumberFormatException e) {
            throw new IllegalStateException(marker + " is damaged: " + e.getMessage(), e);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot scan " + targets + ": " + e.getMessage(), e);
      }
    }
    return found;
  }
}
