package io.catena.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catena.client.testing.CatenaTestCluster;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway's endpoints over real HTTP against the in-process cluster. */
class HttpGatewayTest {

  private static CatenaTestCluster cluster;
  private static HttpGateway gateway;
  private static HttpClient http;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    cluster = CatenaTestCluster.builder().storageNodes(3).replicas(2).chains(6).stripe(3).start();
    gateway =
        HttpGateway.start(
            GatewayConfig.of(
                List.of(cluster.mgmtdAddress()), cluster.metaAddress(), "127.0.0.1:0"));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    token = cluster.tenantToken();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static HttpRequest.Builder req(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token);
  }

  static HttpResponse<byte[]> send(HttpRequest r) throws Exception {
    return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return HttpGateway.JSON.readTree(r.body());
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void requestsWithoutAValidTokenAreRefused() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/kv/keys/x");
    HttpResponse<byte[]> none = send(HttpRequest.newBuilder(uri).GET().build());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(json(none).path("error").asText()).isEqualTo("UNAUTHENTICATED");
    HttpResponse<byte[]> bogus =
        send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer ctn1.99.nope")
                .GET()
                .build());
    assertThat(bogus.statusCode()).isEqualTo(401);
    HttpResponse<byte[]> basic =
        send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Basic Zm9vOmJhcg==")
                .GET()
                .build());
    assertThat(basic.statusCode()).isEqualTo(401);
    HttpResponse<byte[]> fs =
        send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/fs/?list"))
                .GET()
                .build());
    assertThat(fs.statusCode()).isEqualTo(401);
  }

  @Test
  void singleKeyPutGetHeadDelete() throws Exception {
    byte[] value = random(300_000, 1);
    String path = "/v1/kv/keys/" + "page%2F0";
    HttpResponse<byte[]> put =
        send(req(path).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build());
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(json(put).path("status").asText()).isEqualTo("STORED");
    assertThat(
            send(req(path).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build()).statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> get = send(req(path).GET().build());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(value);
    HttpResponse<byte[]> head =
        send(req(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(send(req(path).DELETE().build()).statusCode()).isEqualTo(204);
    assertThat(send(req(path).GET().build()).statusCode()).isEqualTo(404);
    assertThat(send(req(path).DELETE().build()).statusCode()).isEqualTo(404);
    assertThat(send(req("/v1/kv/keys/").GET().build()).statusCode()).isEqualTo(400);
  }

  @Test
  void batchesCarryAManifestLineAndRawBytes() throws Exception {
    byte[][] values = {random(1000, 1), random(70_000, 2), random(5, 3)};
    String manifest =
        "{\"items\":["
            + "{\"key\":\"b0\",\"length\":1000},"
            + "{\"key\":\"b1\",\"length\":70000,\"prev_key\":\"b0\"},"
            + "{\"key\":\"b2\",\"length\":5,\"prev_key\":\"b1\"}]}\n";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(manifest.getBytes(StandardCharsets.UTF_8));
    for (byte[] v : values) {
      body.writeBytes(v);
    }
    HttpResponse<byte[]> put =
        send(
            req("/v1/kv/batch/put")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(json(put).path("statuses").toString())
        .isEqualTo("[\"STORED\",\"STORED\",\"STORED\"]");

    HttpResponse<byte[]> exists =
        send(
            req("/v1/kv/batch/exists")
                .POST(
                    HttpRequest.BodyPublishers.ofString("{\"keys\":[\"b0\",\"b1\",\"zz\",\"b2\"]}"))
                .build());
    assertThat(json(exists).path("prefix").asInt()).isEqualTo(2);

    HttpResponse<byte[]> get =
        send(
            req("/v1/kv/batch/get")
                .POST(
                    HttpRequest.BodyPublishers.ofString("{\"keys\":[\"b0\",\"zz\",\"b1\",\"b2\"]}"))
                .build());
    assertThat(get.statusCode()).isEqualTo(200);
    byte[] all = get.body();
    int nl = 0;
    while (all[nl] != '\n') {
      nl++;
    }
    JsonNode lengths = HttpGateway.JSON.readTree(Arrays.copyOf(all, nl)).path("lengths");
    assertThat(lengths.toString()).isEqualTo("[1000,-1,70000,5]");
    int at = nl + 1;
    assertThat(Arrays.copyOfRange(all, at, at + 1000)).isEqualTo(values[0]);
    at += 1000;
    assertThat(Arrays.copyOfRange(all, at, at + 70_000)).isEqualTo(values[1]);
    at += 70_000;
    assertThat(Arrays.copyOfRange(all, at, at + 5)).isEqualTo(values[2]);
    assertThat(all.length).isEqualTo(at + 5);

    HttpResponse<byte[]> del =
        send(
            req("/v1/kv/batch/delete")
                .POST(HttpRequest.BodyPublishers.ofString("{\"keys\":[\"b2\",\"zz\"]}"))
                .build());
    assertThat(json(del).path("deleted").toString()).isEqualTo("[true,false]");
    HttpResponse<byte[]> stats = send(req("/v1/kv/stats").GET().build());
    assertThat(json(stats).path("entries").asLong()).isGreaterThanOrEqualTo(2);

    HttpResponse<byte[]> bad =
        send(
            req("/v1/kv/batch/put")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"items\":[{\"key\":\"x\",\"length\":10}]}\nabc"))
                .build());
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  void filesWithPosixLikeSemantics() throws Exception {
    assertThat(
            send(req("/v1/fs/docs/a?mkdir").POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode())
        .isEqualTo(201);
    byte[] data = random(2_500_000, 9);
    HttpResponse<byte[]> w =
        send(
            req("/v1/fs/docs/a/f.bin?offset=0")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build());
    assertThat(w.statusCode()).isEqualTo(200);
    assertThat(json(w).path("length").asLong()).isEqualTo(data.length);
    HttpResponse<byte[]> r = send(req("/v1/fs/docs/a/f.bin").GET().build());
    assertThat(r.body()).isEqualTo(data);
    HttpResponse<byte[]> part =
        send(req("/v1/fs/docs/a/f.bin?offset=1000000&length=10").GET().build());
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 1_000_000, 1_000_010));
    HttpResponse<byte[]> stat = send(req("/v1/fs/docs/a/f.bin?stat").GET().build());
    assertThat(json(stat).path("type").asText()).isEqualTo("file");
    assertThat(json(stat).path("length").asLong()).isEqualTo(data.length);
    HttpResponse<byte[]> list = send(req("/v1/fs/docs/a?list").GET().build());
    assertThat(json(list).path("entries").get(0).path("name").asText()).isEqualTo("f.bin");
    assertThat(
            send(req("/v1/fs/docs/a/f.bin?open&write=true")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send(req("/v1/fs/docs/a/f.bin?create&exclusive=true")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build())
                .statusCode())
        .isEqualTo(409);
    assertThat(send(req("/v1/fs/docs/a").DELETE().build()).statusCode()).isEqualTo(409);
    assertThat(send(req("/v1/fs/docs/a/f.bin").DELETE().build()).statusCode()).isEqualTo(204);
    assertThat(send(req("/v1/fs/docs/a/f.bin").GET().build()).statusCode()).isEqualTo(404);
    assertThat(send(req("/v1/fs/docs/a").DELETE().build()).statusCode()).isEqualTo(204);
  }
}
