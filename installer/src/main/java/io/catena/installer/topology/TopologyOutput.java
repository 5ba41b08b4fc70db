package io.catena.installer.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.catena.topology.placement.MinMax;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a flat result as aligned text or as one JSON object. */
final class TopologyOutput {
  private TopologyOutput() {}

  static Map<String, Object> minMax(MinMax value) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("min", value.min());
    map.put("max", value.max());
    return map;
  }

  static void print(PrintWriter out, Map<String, Object> result, boolean json) throws Exception {
    if (json) {
      out.println(
          new ObjectMapper()
              .disable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(result));
    } else {
      int width = result.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
      for (Map.Entry<String, Object> entry : result.entrySet()) {
        out.println(String.format("%-" + width + "s%s", entry.getKey(), text(entry.getValue())));
      }
    }
    out.flush();
  }

  private static String text(Object value) {
    if (value instanceof Map<?, ?> map && map.containsKey("min")) {
      return map.get("min") + ".." + map.get("max");
    }
    if (value instanceof Double d) {
      return String.format("%.4f", d);
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() ? "-" : String.join("; ", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }
}
