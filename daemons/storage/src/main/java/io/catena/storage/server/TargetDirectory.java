package io.catena.storage.server;

import io.catena.storage.StorageErrorCode;
import io.catena.storage.StorageException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/** The {@code target.properties} marker that says which target and chain a directory holds. */
final class TargetDirectory {
  static final String MARKER = "target.properties";

  private TargetDirectory() {}

  /** True when the directory already holds this target; refuses a directory of another target. */
  static boolean exists(TargetConfig c) {
    Path marker = c.directory().resolve(MARKER);
    if (!Files.exists(marker)) {
      return false;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(marker)) {
      p.load(r);
    } catch (IOException e) {
      throw new StorageException(StorageErrorCode.IO_ERROR, "cannot read " + marker + ": " + e);
    }
    if (!String.valueOf(c.targetId()).equals(p.getProperty("target.id"))
        || !String.valueOf(c.chainId()).equals(p.getProperty("chain.id"))) {
      throw new StorageException(
          StorageErrorCode.INVALID_ARGUMENT,
          c.directory()
              + " holds target "
              + p.getProperty("target.id")
              + " of chain "
              + p.getProperty("chain.id")
              + ", not target "
              + c.targetId()
              + " of chain "
              + c.chainId());
    }
    return true;
  }

  static void create(TargetConfig c) {
    try {
      Files.createDirectories(c.directory());
      Properties p = new Properties();
      p.setProperty("target.id", String.valueOf(c.targetId()));
      p.setProperty("chain.id", String.valueOf(c.chainId()));
      p.setProperty("format", "1");
      Path tmp = c.directory().resolve(MARKER + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp)) {
        p.store(w, "Catena storage target");
      }
      Files.move(tmp, c.directory().resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.IO_ERROR, "cannot create target in " + c.directory() + ": " + e);
    }
  }
}
