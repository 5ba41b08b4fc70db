package io.catena.controlplane.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** An {@link OperationRequest} as a JSON object ({@code kind} plus its fields), and back. */
final class OperationRequestJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OperationRequestJson() {}

  static ObjectNode toJson(OperationRequest request) {
    ObjectNode o = JSON.createObjectNode();
    o.put("kind", request.kind().id());
    switch (request) {
      case OperationRequest.ScaleOut s ->
          o.put("addNodes", s.addNodes()).put("stepSize", s.stepSize()).put("mode", s.mode());
      case OperationRequest.Repair r -> o.put("targetId", r.targetId());
      case OperationRequest.Drain d ->
          o.put("nodeId", d.nodeId()).put("decommission", d.decommission());
      case OperationRequest.RollingRestart r -> {
        ArrayNode nodes = o.putArray("nodes");
        r.nodes().forEach(nodes::add);
      }
      case OperationRequest.Rebalance r -> o.put("window", r.window().id());
      case OperationRequest.SelfHeal h -> o.put("targetId", h.targetId());
    }
    return o;
  }

  /**
   * @throws IllegalArgumentException when the object names no known kind or lacks a field
   */
  static OperationRequest fromJson(JsonNode o) {
    String kind = o.path("kind").asText();
    return switch (kind) {
      case "scale-out" ->
          new OperationRequest.ScaleOut(
              required(o, "addNodes").asInt(),
              required(o, "stepSize").asInt(),
              required(o, "mode").asText());
      case "repair" -> new OperationRequest.Repair(required(o, "targetId").asLong());
      case "drain" ->
          new OperationRequest.Drain(
              required(o, "nodeId").asInt(), required(o, "decommission").asBoolean());
      case "rolling-restart" -> {
        List<String> nodes = new ArrayList<>();
        required(o, "nodes").forEach(n -> nodes.add(n.asText()));
        yield new OperationRequest.RollingRestart(nodes);
      }
      case "rebalance" ->
          new OperationRequest.Rebalance(LoadWindow.parse(o.path("window").asText()));
      case "self-heal" -> new OperationRequest.SelfHeal(required(o, "targetId").asLong());
      default -> throw new IllegalArgumentException("unknown operation kind '" + kind + "'");
    };
  }

  private static JsonNode required(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("a stored " + o.path("kind").asText() + " lacks " + field);
    }
    return v;
  }
}
