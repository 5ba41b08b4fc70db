package io.catena.installer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.client.testing.CatenaTestCluster;
import io.catena.installer.CatenaCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandTest {

  @TempDir Path dir;

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void aMissingTraceIsBadInputOnOneLine() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "ctn1.1.x\n");
    StringWriter err = new StringWriter();
    int code =
        run(
            new StringWriter(),
            err,
            "bench",
            "replay",
            "--trace",
            dir.resolve("none.jsonl").toString(),
            "--mgmtd",
            "127.0.0.1:1",
            "--meta",
            "127.0.0.1:1",
            "--token-file",
            token.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("trace");
  }

  @Test
  void replaysATraceAgainstACluster() throws Exception {
    Path trace =
        Files.writeString(
            dir.resolve("t.jsonl"),
            """
            {"timestamp": 0, "hash_ids": [1, 2, 3]}
            {"timestamp": 1, "hash_ids": [1, 2, 4]}
            """);
    try (CatenaTestCluster cluster =
        CatenaTestCluster.builder().storageNodes(3).replicas(2).chains(3).stripe(3).start()) {
      Path token = Files.writeString(dir.resolve("token"), cluster.tenantToken());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          run(
              out,
              err,
              "bench",
              "replay",
              "--trace",
              trace.toString(),
              "--mgmtd",
              cluster.mgmtdAddress(),
              "--meta",
              cluster.metaAddress(),
              "--token-file",
              token.toString(),
              "--bytes-per-block",
              "4096",
              "--json");
      assertThat(code).as(err.toString()).isZero();
      JsonNode report = new ObjectMapper().readTree(out.toString());
      assertThat(report.path("blocks").asInt()).isEqualTo(6);
      assertThat(report.path("hit_blocks").asInt()).isEqualTo(2);
      assertThat(report.path("bytes_written").asLong()).isEqualTo(4L * 4096);
    }
  }
}
