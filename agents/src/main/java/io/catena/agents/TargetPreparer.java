package io.catena.agents;

import io.catena.protocol.agent.PreparedTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Creates storage target directories on a disk: DISK/catena/targets/TARGET_ID. Idempotent and never
 * destructive: an existing directory is reported, not emptied.
 */
final class TargetPreparer {

  private static final Pattern TARGET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private TargetPreparer() {}

  static List<PreparedTarget> prepare(Path disk, List<String> targetIds) throws IOException {
    if (!disk.isAbsolute()) {
      throw new IllegalArgumentException("disk path '" + disk + "' must be absolute");
    }
    if (!Files.isDirectory(disk)) {
      throw new IllegalArgumentException("disk path " + disk + " is not an existing directory");
    }
    if (targetIds.isEmpty()) {
      throw new IllegalArgumentException("no target ids given");
    }
    for (String id : targetIds) {
      if (!TARGET_ID.matcher(id).matches()) {
        throw new IllegalArgumentException(
            "target id '" + id + "' is not valid: use letters, digits, '.', '_', '-'");
      }
    }
    Path targets = disk.resolve("catena").resolve("targets");
    Files.createDirectories(targets);
    if (!Files.isWritable(targets)) {
      throw new IllegalArgumentException(targets + " is not writable by the agent");
    }
    List<PreparedTarget> prepared = new ArrayList<>();
    for (String id : targetIds) {
      Path dir = targets.resolve(id);
      boolean created = !Files.exists(dir);
      Files.createDirectories(dir);
      prepared.add(
          PreparedTarget.newBuilder()
              .setTargetId(id)
              .setPath(dir.toString())
              .setCreated(created)
              .build());
    }
    return prepared;
  }
}
