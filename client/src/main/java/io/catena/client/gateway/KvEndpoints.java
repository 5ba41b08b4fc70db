package io.catena.client.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.catena.client.kv.KvClient;
import io.catena.client.kv.KvPut;
import io.catena.client.kv.KvPutStatus;
import io.catena.client.kv.KvStats;
import io.catena.client.kv.KvValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KV endpoints (docs/gateway.md):
 *
 * <ul>
 *   <li>{@code PUT|GET|HEAD|DELETE /v1/kv/keys/{key}}: one value, raw bytes;
 *   <li>{@code POST /v1/kv/batch/{exists|get|put|delete}}: many keys in one call; batch get and put
 *       carry a JSON manifest line, then the values' bytes back to back;
 *   <li>{@code GET /v1/kv/stats}, {@code PUT /v1/kv/policy}.
 * </ul>
 */
final class KvEndpoints {

  static final String KEYS = "/v1/kv/keys/";
  static final String BATCH = "/v1/kv/batch/";
  static final String BATCH_TYPE = "application/x-catena-batch";
  static final long MAX_VALUE = 1L << 30;
  static final int MAX_MANIFEST = 4 << 20;

  /** Values a batch get reads at once before streaming them out. */
  static final int READ_GROUP = 16;

  void handle(HttpExchange ex, TenantClients.Clients c) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String method = ex.getRequestMethod();
    KvClient kv = c.kv();
    if (path.startsWith(KEYS)) {
      byte[] key = HttpGateway.rest(ex, KEYS).getBytes(StandardCharsets.UTF_8);
      if (key.length == 0) {
        throw HttpError.badRequest("the key is empty");
      }
      switch (method) {
        case "PUT" -> put(ex, kv, key);
        case "GET", "HEAD" -> get(ex, kv, key);
        case "DELETE" -> HttpGateway.sendEmpty(ex, kv.delete(key) ? 204 : 404);
        default -> throw new HttpError(405, "METHOD_NOT_ALLOWED", method + " " + KEYS + "{key}");
      }
      return;
    }
    if (path.startsWith(BATCH) && method.equals("POST")) {
      switch (path.substring(BATCH.length())) {
        case "exists" -> batchExists(ex, kv);
        case "get" -> batchGet(ex, kv);
        case "put" -> batchPut(ex, kv);
        case "delete" -> batchDelete(ex, kv);
        default -> throw new HttpError(404, "NOT_FOUND", "no batch operation " + path);
      }
      return;
    }
    if (path.equals("/v1/kv/stats") && method.equals("GET")) {
      HttpGateway.sendJson(ex, 200, stats(kv.stats()));
      return;
    }
    if (path.equals("/v1/kv/policy") && method.equals("PUT")) {
      JsonNode p = HttpGateway.JSON.readTree(HttpGateway.body(ex, 1 << 16));
      KvStats s =
          kv.setPolicy(
              p.path("capacity_bytes").asLong(0),
              p.path("high_watermark_pct").asInt(0),
              p.path("low_watermark_pct").asInt(0),
              p.path("default_ttl_ms").asLong(0));
      HttpGateway.sendJson(ex, 200, stats(s));
      return;
    }
    throw new HttpError(404, "NOT_FOUND", "no endpoint " + method + " " + path);
  }

  private static void put(HttpExchange ex, KvClient kv, byte[] key) throws IOException {
    Map<String, String> q = HttpGateway.query(ex);
    byte[] prev = header(ex, "X-Catena-Prev-Key");
    long ttl = HttpGateway.longParam(q, "ttl_ms", 0);
    boolean overwrite = Boolean.parseBoolean(q.getOrDefault("overwrite", "false"));
    byte[] body = HttpGateway.body(ex, MAX_VALUE);
    if (body.length == 0) {
      throw HttpError.badRequest("a value needs at least one byte");
    }
    KvPutStatus s =
        kv.putBatch(List.of(new KvPut(key, ByteBuffer.wrap(body), prev, ttl)), overwrite)
            .getFirst();
    HttpGateway.sendJson(ex, putStatus(s), Map.of("status", s.name()));
  }

  static int putStatus(KvPutStatus s) {
    return switch (s) {
      case STORED -> 201;
      case EXISTS -> 200;
      case BUSY -> 409;
      case NO_SPACE -> 507;
      case TOO_LARGE -> 413;
      case FAILED -> 503;
    };
  }

  private static void get(HttpExchange ex, KvClient kv, byte[] key) throws IOException {
    KvValue v = kv.locate(List.of(key), false).getFirst();
    if (v == null) {
      throw new HttpError(404, "NOT_FOUND", "no key " + new String(key, StandardCharsets.UTF_8));
    }
    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(v.length()));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ByteBuffer dst = ByteBuffer.allocate(v.length());
    if (kv.read(List.of(v), List.of(dst))[0] < 0) {
      throw new HttpError(404, "NOT_FOUND", "the key went while being read");
    }
    ex.sendResponseHeaders(200, v.length());
    try (OutputStream out = ex.getResponseBody()) {
      out.write(dst.array(), 0, v.length());
    }
  }

  private static List<byte[]> keys(JsonNode request) {
    JsonNode keys = request.path("keys");
    if (!keys.isArray()) {
      throw HttpError.badRequest("the body needs \"keys\": [...]");
    }
    List<byte[]> out = new ArrayList<>(keys.size());
    keys.forEach(k -> out.add(k.asText().getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static void batchExists(HttpExchange ex, KvClient kv) throws IOException {
    List<byte[]> keys = keys(HttpGateway.JSON.readTree(HttpGateway.body(ex, MAX_MANIFEST)));
    HttpGateway.sendJson(ex, 200, Map.of("prefix", kv.batchExists(keys)));
  }

  private static void batchDelete(HttpExchange ex, KvClient kv) throws IOException {
    List<byte[]> keys = keys(HttpGateway.JSON.readTree(HttpGateway.body(ex, MAX_MANIFEST)));
    HttpGateway.sendJson(ex, 200, Map.of("deleted", kv.deleteBatch(keys)));
  }

  /**
   * Answers a manifest line {@code {"lengths":[n or -1, ...]}} and then the present values' bytes
   * back to back, streamed: values are read a group at a time while earlier ones go out.
   */
  private static void batchGet(HttpExchange ex, KvClient kv) throws IOException {
    JsonNode req = HttpGateway.JSON.readTree(HttpGateway.body(ex, MAX_MANIFEST));
    List<byte[]> keys = keys(req);
    List<KvValue> found = kv.locate(keys, req.path("prefix_only").asBoolean(false));
    List<Integer> lengths = new ArrayList<>(keys.size());
    long total = 0;
    for (int i = 0; i < keys.size(); i++) {
      KvValue v = i < found.size() ? found.get(i) : null;
      lengths.add(v == null ? -1 : v.length());
      total += v == null ? 0 : v.length();
    }
    byte[] manifest = manifest(Map.of("lengths", lengths));
    ex.getResponseHeaders().set("Content-Type", BATCH_TYPE);
    ex.sendResponseHeaders(200, manifest.length + total);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(manifest);
      for (int from = 0; from < found.size(); from += READ_GROUP) {
        List<KvValue> group = new ArrayList<>();
        List<ByteBuffer> dsts = new ArrayList<>();
        for (KvValue v : found.subList(from, Math.min(found.size(), from + READ_GROUP))) {
          if (v != null) {
            group.add(v);
            dsts.add(ByteBuffer.allocate(v.length()));
          }
        }
        int[] n = kv.read(group, dsts);
        for (int i = 0; i < group.size(); i++) {
          if (n[i] != group.get(i).length()) {
            // the length went out in the manifest already: end the response short
            throw new IOException("a value of the batch went while being read");
          }
          out.write(dsts.get(i).array(), 0, n[i]);
        }
      }
    }
  }

  /**
   * Reads a manifest line {@code {"items":[{"key","length","prev_key","ttl_ms"}],"overwrite"}} and
   * then each item's bytes back to back; answers {@code {"statuses":[...]}}.
   */
  private static void batchPut(HttpExchange ex, KvClient kv) throws IOException {
    List<KvPut> puts = new ArrayList<>();
    boolean overwrite;
    try (InputStream in = ex.getRequestBody()) {
      JsonNode manifest = HttpGateway.JSON.readTree(line(in));
      overwrite = manifest.path("overwrite").asBoolean(false);
      JsonNode items = manifest.path("items");
      if (!items.isArray()) {
        throw HttpError.badRequest("the manifest needs \"items\": [...]");
      }
      for (JsonNode item : items) {
        long length = item.path("length").asLong(-1);
        if (length < 1 || length > MAX_VALUE) {
          throw HttpError.badRequest("every item needs a length from 1 to " + MAX_VALUE);
        }
        byte[] value = in.readNBytes((int) length);
        if (value.length != length) {
          throw HttpError.badRequest("the body ended inside the value of " + item.path("key"));
        }
        puts.add(
            new KvPut(
                item.path("key").asText().getBytes(StandardCharsets.UTF_8),
                ByteBuffer.wrap(value),
                item.path("prev_key").asText("").getBytes(StandardCharsets.UTF_8),
                item.path("ttl_ms").asLong(0)));
      }
    }
    List<String> statuses = kv.putBatch(puts, overwrite).stream().map(Enum::name).toList();
    HttpGateway.sendJson(ex, 200, Map.of("statuses", statuses));
  }

  private static byte[] line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw HttpError.badRequest("the body needs a JSON manifest line ending in a newline");
      }
      if (buf.size() >= MAX_MANIFEST) {
        throw HttpError.badRequest("the manifest line is over " + MAX_MANIFEST + " bytes");
      }
      buf.write(b);
    }
    return buf.toByteArray();
  }

  private static byte[] manifest(Object body) throws IOException {
    byte[] json = HttpGateway.JSON.writeValueAsBytes(body);
    byte[] line = new byte[json.length + 1];
    System.arraycopy(json, 0, line, 0, json.length);
    line[json.length] = '\n';
    return line;
  }

  private static byte[] header(HttpExchange ex, String name) {
    String v = ex.getRequestHeaders().getFirst(name);
    return v == null ? new byte[0] : HttpGateway.decode(v).getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, Object> stats(KvStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("capacity_bytes", s.capacityBytes());
    m.put("high_watermark_pct", s.highWatermarkPct());
    m.put("low_watermark_pct", s.lowWatermarkPct());
    m.put("default_ttl_ms", s.defaultTtlMs());
    m.put("effective_capacity", s.effectiveCapacity());
    m.put("entries", s.entries());
    m.put("value_bytes", s.valueBytes());
    m.put("slot_bytes", s.slotBytes());
    m.put("slab_bytes", s.slabBytes());
    m.put("utilisation", s.utilisation());
    m.put("evictions", s.evictions());
    m.put("expirations", s.expirations());
    m.put("reclaimed_reservations", s.reclaimedReservations());
    return m;
  }
}
