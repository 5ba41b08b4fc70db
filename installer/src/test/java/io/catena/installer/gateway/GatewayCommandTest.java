package io.catena.installer.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.installer.CatenaCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayCommandTest {

  @Test
  void missingAddressesAreBadInputOnOneLine() {
    StringWriter err = new StringWriter();
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int code = cli.execute("gateway", "--meta", "127.0.0.1:1");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("catena: ").contains("--mgmtd");
  }

  @Test
  void servesHttpAsAProcessAndRefusesRequestsWithoutAToken() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx96m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CatenaCli.class.getName(),
                    "gateway",
                    "--mgmtd",
                    "127.0.0.1:1",
                    "--meta",
                    "127.0.0.1:1",
                    "--listen",
                    "127.0.0.1:0",
                    "--json"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      JsonNode started = null;
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("{")) {
          started = new ObjectMapper().readTree(line);
          break;
        }
      }
      assertThat(started).isNotNull();
      String base = "http://" + started.path("listen").asText();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> anonymous =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/kv/keys/a")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
    } finally {
      child.destroy();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
