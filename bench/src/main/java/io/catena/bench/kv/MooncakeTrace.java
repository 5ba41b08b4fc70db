package io.catena.bench.kv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Mooncake-format trace: JSONL of {@code {timestamp (ms), input_length, output_length,
 * hash_ids[]}}, each hash id one prefix-chained block (512 tokens in Mooncake's traces).
 */
public final class MooncakeTrace {

  /** One request: when it arrives and the blocks of its prompt, in prefix order. */
  public record Request(long timestampMs, long[] blocks) {}

  private MooncakeTrace() {}

  /** Reads up to {@code limit} requests (0: all); a malformed line is bad input. */
  public static List<Request> read(Path file, int limit) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Request> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null && (limit == 0 || out.size() < limit)) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = json.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(file + " line " + number + " is not JSON");
        }
        JsonNode ids = node.path("hash_ids");
        if (!ids.isArray() || !node.path("timestamp").canConvertToLong()) {
          throw new IllegalArgumentException(
              file + " line " + number + " lacks timestamp or hash_ids[]");
        }
        long[] blocks = new long[ids.size()];
        for (int i = 0; i < blocks.length; i++) {
          blocks[i] = ids.get(i).asLong();
        }
        out.add(new Request(node.path("timestamp").asLong(), blocks));
      }
    }
    return out;
  }
}
