package io.catena.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.client.CatenaClient;
import io.catena.client.kv.KvClient;
import io.catena.client.testing.CatenaTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The trace replay on a small cluster: counts add up and prefixes shared by requests hit. */
class KvTraceReplayTest {

  static final Path TRACE =
      Path.of("..", "..", "shared", "traces", "mooncake_synthetic_trace.jsonl");

  @TempDir Path dir;

  @Test
  void replaysATraceAndHitsTheSharedPrefixes() throws Exception {
    Path trace = dir.resolve("t.jsonl");
    // two requests sharing a 3-block prefix, then a repeat of the first
    Files.writeString(
        trace,
        """
        {"timestamp": 0, "input_length": 5, "output_length": 1, "hash_ids": [1, 2, 3, 4, 5]}
        {"timestamp": 5, "input_length": 4, "output_length": 1, "hash_ids": [1, 2, 3, 9]}
        {"timestamp": 9, "input_length": 5, "output_length": 1, "hash_ids": [1, 2, 3, 4, 5]}
        """);
    List<MooncakeTrace.Request> requests = MooncakeTrace.read(trace, 0);
    assertThat(requests).hasSize(3);
    try (CatenaTestCluster cluster =
            CatenaTestCluster.builder().storageNodes(3).replicas(2).chains(6).stripe(3).start();
        CatenaClient client = cluster.newClient();
        KvClient kv = KvClient.open(client)) {
      KvTraceReplay.Report r =
          KvTraceReplay.run(kv, requests, new KvTraceReplay.Options(32 * 1024, 100, "t/"));
      assertThat(r.blocks()).isEqualTo(14);
      assertThat(r.hitBlocks()).isEqualTo(3 + 5);
      assertThat(r.bytesWritten()).isEqualTo(6L * 32 * 1024);
      assertThat(r.bytesRead()).isEqualTo(8L * 32 * 1024);
      assertThat(r.putsNotStored()).isZero();
      assertThat(r.hitRatio()).isEqualTo(8.0 / 14);

      if (Files.exists(TRACE)) {
        // -Dcatena.replay.requests / -Dcatena.replay.block-bytes make this a longer measurement
        int count = Integer.getInteger("catena.replay.requests", 100);
        int block = Integer.getInteger("catena.replay.block-bytes", 16 * 1024);
        KvTraceReplay.Report mooncake =
            KvTraceReplay.run(
                kv, MooncakeTrace.read(TRACE, count), new KvTraceReplay.Options(block, 0, "m/"));
        System.out.printf(
            "mooncake synthetic, first %d requests, %d B blocks: hit %.1f%%, %.3f GB/s"
                + " (%d B read, %d B written in %.1f s), get p50 %.1f p99 %.1f ms,"
                + " put p50 %.1f p99 %.1f ms%n",
            count,
            block,
            100 * mooncake.hitRatio(),
            mooncake.gbPerSecond(),
            mooncake.bytesRead(),
            mooncake.bytesWritten(),
            mooncake.seconds(),
            mooncake.getP50Ms(),
            mooncake.getP99Ms(),
            mooncake.putP50Ms(),
            mooncake.putP99Ms());
        assertThat(mooncake.hitBlocks()).isPositive();
      }
    }
  }

  @Test
  void aMalformedTraceIsBadInput() throws Exception {
    Path trace = dir.resolve("bad.jsonl");
    Files.writeString(trace, "{\"timestamp\": 0}\n");
    assertThatThrownBy(() -> MooncakeTrace.read(trace, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1");
  }

  @ParameterizedTest
  @CsvSource({"50, 3.0", "99, 5.0", "1, 1.0", "100, 5.0"})
  void percentiles(double p, double expected) {
    assertThat(KvTraceReplay.percentile(List.of(5.0, 1.0, 3.0, 2.0, 4.0), p)).isEqualTo(expected);
  }
}
