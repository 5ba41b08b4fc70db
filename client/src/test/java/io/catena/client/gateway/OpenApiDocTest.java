package io.catena.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml parses and documents every route the gateway serves. */
class OpenApiDocTest {

  @Test
  void everyRouteIsDocumented() throws Exception {
    JsonNode doc =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("..", "docs", "openapi.yaml").toFile());
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    java.util.List<String> paths = new java.util.ArrayList<>();
    doc.path("paths").fieldNames().forEachRemaining(paths::add);
    assertThat(paths)
        .containsExactlyInAnyOrder(
            "/healthz",
            KvEndpoints.KEYS + "{key}",
            KvEndpoints.BATCH + "exists",
            KvEndpoints.BATCH + "get",
            KvEndpoints.BATCH + "put",
            KvEndpoints.BATCH + "delete",
            "/v1/kv/stats",
            "/v1/kv/policy",
            FileEndpoints.PREFIX + "/{path}");
  }
}
