package io.catena.installer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.bench.kv.RedisServer;
import io.catena.client.testing.CatenaTestCluster;
import io.catena.installer.CatenaCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KvVsRedisCommandTest {

  @TempDir Path dir;

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void anUnknownRedisConfigurationIsBadInputOnOneLine() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "ctn1.1.x\n");
    Path fakeServer = Files.createFile(dir.resolve("redis-server"));
    fakeServer.toFile().setExecutable(true);
    StringWriter err = new StringWriter();
    int code =
        run(
            new StringWriter(),
            err,
            "bench",
            "kv-vs-redis",
            "--mgmtd",
            "127.0.0.1:1",
            "--meta",
            "127.0.0.1:1",
            "--token-file",
            token.toString(),
            "--redis-server",
            fakeServer.toString(),
            "--redis",
            "cluster");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("unknown redis configuration 'cluster'");
  }

  @Test
  void comparesWithARedisItStartsAndReportsJson() throws Exception {
    assumeTrue(
        RedisServer.findExecutable().isPresent(),
        "redis-server is not installed (apt-get install redis-server): the comparison needs it");
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
              "kv-vs-redis",
              "--mgmtd",
              cluster.mgmtdAddress(),
              "--meta",
              cluster.metaAddress(),
              "--token-file",
              token.toString(),
              "--sizes",
              "4096",
              "--threads",
              "2",
              "--mib-per-size",
              "1",
              "--min-ops",
              "4",
              "--redis",
              "memory",
              "--json");
      assertThat(code).as(err.toString()).isZero();
      JsonNode report = new ObjectMapper().readTree(out.toString());
      assertThat(report.path("results")).hasSize(4);
      for (JsonNode r : report.path("results")) {
        assertThat(r.path("failed").asInt()).as("%s", r).isZero();
        assertThat(r.path("ops").asInt()).isEqualTo(256);
      }
      assertThat(report.path("ratios")).hasSize(2);
    }
  }
}
