package io.catena.controlplane.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operations as JSON lines in {@code operations.jsonl} under the control plane's data directory:
 * one snapshot of an operation per change (plan, approval, each finished step, cancel, end), the
 * last line of an id winning. Opening reads the file, keeps the last snapshot of each operation and
 * rewrites the file with just those (atomically), so it grows only with what happens between
 * restarts. A torn last line (a crash mid-append) is skipped, as is a line that no longer parses.
 */
public final class OperationStore implements AutoCloseable {

  public static final String FILE_NAME = "operations.jsonl";

  private static final Logger log = LoggerFactory.getLogger(OperationStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One operation as stored; {@code request} is {@link OperationRequestJson}'s object. */
  public record Snapshot(
      String id,
      JsonNode request,
      String requestedBy,
      long createdAtMs,
      long updatedAtMs,
      long startedAtMs,
      OperationState state,
      String message,
      String summary,
      long bytesToMove,
      long etaMs,
      long bytesDone,
      int stepsDone,
      List<Step> steps) {

    public Snapshot {
      steps = List.copyOf(steps);
    }
  }

  /** One step as stored: what it did, the bytes it copies, where it stood. */
  public record Step(String description, long bytes, StepState state) {}

  private final Path file;
  private final List<Snapshot> loaded;
  private final BufferedWriter writer;

  private OperationStore(Path file, List<Snapshot> loaded, BufferedWriter writer) {
    this.file = file;
    this.loaded = loaded;
    this.writer = writer;
  }

  /** Opens (and compacts) the store under {@code dataDir}. */
  public static OperationStore open(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      Path file = dataDir.resolve(FILE_NAME);
      Map<String, Snapshot> last = new LinkedHashMap<>();
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          try {
            Snapshot s = JSON.readValue(line, Snapshot.class);
            last.put(s.id(), s);
          } catch (IOException torn) {
            log.warn("skipping an unreadable line of {}: {}", file, torn.getMessage());
          }
        }
        Path compacted = dataDir.resolve(FILE_NAME + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(compacted, StandardCharsets.UTF_8)) {
          for (Snapshot s : last.values()) {
            w.write(JSON.writeValueAsString(s));
            w.newLine();
          }
        }
        Files.move(
            compacted, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      BufferedWriter writer =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return new OperationStore(file, List.copyOf(last.values()), writer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the operation store under " + dataDir, e);
    }
  }

  public Path file() {
    return file;
  }

  /** The operations as they were last stored before this store was opened, oldest first. */
  public List<Snapshot> loaded() {
    return loaded;
  }

  /** Appends {@code snapshot} and flushes it to the file. */
  public synchronized void save(Snapshot snapshot) {
    try {
      writer.write(JSON.writeValueAsString(snapshot));
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
