package io.catena.client.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.catena.client.testing.CatenaTestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SGLang HiCache backend of docs/integrations (plain Python) against a real cluster behind the
 * gateway. Skipped, with the reason, where python3 is not installed.
 */
class HiCacheBackendTest {

  static final Path SCRIPT =
      Path.of("..", "docs", "integrations", "sglang_hicache", "test_catena_hicache.py");

  static boolean python3Present() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void theHiCacheBackendPassesItsTestsAgainstALiveGateway() throws Exception {
    assumeTrue(python3Present(), "python3 is not installed: the HiCache backend test needs it");
    assertThat(SCRIPT).exists();
    try (CatenaTestCluster cluster =
            CatenaTestCluster.builder().storageNodes(3).replicas(2).chains(6).stripe(3).start();
        HttpGateway gateway =
            HttpGateway.start(
                GatewayConfig.of(
                    List.of(cluster.mgmtdAddress()), cluster.metaAddress(), "127.0.0.1:0"))) {
      ProcessBuilder pb =
          new ProcessBuilder("python3", SCRIPT.toString()).redirectErrorStream(true);
      pb.environment().put("CATENA_GATEWAY_URL", "http://127.0.0.1:" + gateway.port());
      pb.environment().put("CATENA_TOKEN", cluster.tenantToken());
      Process python = pb.start();
      try {
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output).contains("OK");
      } finally {
        python.destroyForcibly();
      }
    }
  }
}
