package io.catena.storage.server;

import java.nio.file.Path;
import java.util.Objects;

/** A target this daemon serves: its id, its chain, and its directory on a disk. */
public record TargetConfig(long targetId, int chainId, Path directory) {
  public TargetConfig {
    Objects.requireNonNull(directory, "directory");
    if (targetId <= 0 || chainId <= 0) {
      throw new IllegalArgumentException("target and chain ids must be positive");
    }
  }

  /** Parses {@code TARGET_ID:CHAIN_ID:DIRECTORY}. */
  public static TargetConfig parse(String spec) {
    String[] parts = spec.split(":", 3);
    if (parts.length != 3 || parts[2].isBlank()) {
      throw new IllegalArgumentException(
          "a target is TARGET_ID:CHAIN_ID:DIRECTORY, got '" + spec + "'");
    }
    try {
      return new TargetConfig(
          Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Path.of(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad target id or chain id in '" + spec + "'");
    }
  }
}
