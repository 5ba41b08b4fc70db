package io.catena.controlplane.driver;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agents that joined, by node name. Kept in {@code agents.json} of the control plane's state
 * directory (when it has one) so that a restarted control plane still reaches agents that joined
 * before: an agent joins once, at its own start.
 */
public final class AgentRegistry {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, JoinedNode> nodes = new TreeMap<>();

  /** A registry persisted to {@code file}, or in memory only when it is null. */
  public AgentRegistry(Path file) {
    this.file = file;
    if (file != null && Files.exists(file)) {
      try {
        List<JoinedNode> saved = JSON.readValue(file.toFile(), new TypeReference<>() {});
        saved.forEach(n -> nodes.put(n.name(), n));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** Records (or replaces) a joined node. */
  public synchronized void register(JoinedNode node) {
    nodes.put(node.name(), node);
    save();
  }

  public synchronized Optional<JoinedNode> find(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public synchronized List<JoinedNode> all() {
    return new ArrayList<>(nodes.values());
  }

  private void save() {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter()
          .writeValue(tmp.toFile(), new ArrayList<>(nodes.values()));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
