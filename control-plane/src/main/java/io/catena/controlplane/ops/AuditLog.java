package io.catena.controlplane.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log: one JSON object per line in {@code audit.jsonl} under the control plane's data
 * directory, appended and flushed per entry, read back on start so the history survives restarts. A
 * torn last line (a crash mid-write) is skipped when reading.
 */
public final class AuditLog implements AutoCloseable {

  public static final String FILE_NAME = "audit.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final List<AuditEntry> entries = new ArrayList<>();
  private final BufferedWriter writer;

  public AuditLog(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      this.file = dataDir.resolve(FILE_NAME);
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          try {
            entries.add(JSON.readValue(line, AuditEntry.class));
          } catch (IOException torn) {
            // only a crash mid-append leaves a partial line; the entries before it stand
          }
        }
      }
      this.writer =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit log under " + dataDir, e);
    }
  }

  public Path file() {
    return file;
  }

  public synchronized void append(AuditEntry entry) {
    try {
      writer.write(JSON.writeValueAsString(entry));
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    entries.add(entry);
  }

  /** The newest {@code limit} entries, oldest first (0 or less: all). */
  public synchronized List<AuditEntry> recent(int limit) {
    int from = limit <= 0 ? 0 : Math.max(0, entries.size() - limit);
    return List.copyOf(entries.subList(from, entries.size()));
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
