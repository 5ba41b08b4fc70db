package io.catena.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.catena.client.CatenaClient;
import io.catena.client.kv.KvClient;
import io.catena.client.testing.CatenaTestCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KV-vs-Redis driver on a tiny workload: every (store, op, size) is measured, nothing fails,
 * ratios pair Catena with each Redis configuration, and the servers it started are gone. Nothing
 * here is timed; the numbers come from {@code catena bench kv-vs-redis} (docs/performance.md).
 */
class KvVsRedisBenchTest {

  @TempDir Path dir;

  private static Path redisServer() {
    Optional<Path> exe = RedisServer.findExecutable();
    assumeTrue(
        exe.isPresent(),
        "redis-server is not installed (apt-get install redis-server): the comparison needs it");
    return exe.orElseThrow();
  }

  @Test
  void measuresBothStoresAtEverySizeAndPairsThem() throws Exception {
    Path exe = redisServer();
    KvVsRedisBench.Options options =
        new KvVsRedisBench.Options(
            List.of(4096, 65536),
            2,
            64 * 1024,
            4,
            List.of(RedisServer.Durability.MEMORY, RedisServer.Durability.AOF_EVERYSEC),
            "t/");
    List<KvVsRedisBench.Result> results;
    try (CatenaTestCluster cluster =
            CatenaTestCluster.builder().storageNodes(3).replicas(2).chains(6).stripe(3).start();
        CatenaClient client = cluster.newClient();
        KvClient kv = KvClient.open(client)) {
      results = KvVsRedisBench.run(kv, exe, dir, options);
      assertThat(kv.stats().entries()).as("the driver deletes what it wrote").isZero();
    }
    assertThat(results).hasSize(3 * 2 * 2);
    assertThat(results).allSatisfy(r -> assertThat(r.failed()).isZero());
    assertThat(results)
        .filteredOn(r -> r.valueBytes() == 4096)
        .allSatisfy(r -> assertThat(r.ops()).isEqualTo(16));
    assertThat(results)
        .filteredOn(r -> r.valueBytes() == 65536)
        .allSatisfy(r -> assertThat(r.ops()).as("at least min ops").isEqualTo(4));
    assertThat(results)
        .extracting(KvVsRedisBench.Result::store)
        .contains("catena", "redis", "redis-aof");
    assertThat(results).allSatisfy(r -> assertThat(r.mbPerSecond()).isPositive());
    assertThat(KvVsRedisBench.ratios(results))
        .hasSize(2 * 2 * 2)
        .allSatisfy(r -> assertThat(r.throughput()).isPositive());
  }

  @Test
  void aStartedServerAnswersAndIsGoneAfterClose() throws Exception {
    Path exe = redisServer();
    ProcessHandle p;
    try (RedisServer a = RedisServer.start(exe, dir.resolve("a"), RedisServer.Durability.MEMORY);
        RedisServer b = RedisServer.start(exe, dir.resolve("b"), RedisServer.Durability.MEMORY)) {
      assertThat(a.port()).isNotEqualTo(b.port());
      p = a.process();
      assertThat(p.isAlive()).isTrue();
    }
    assertThat(p.isAlive()).isFalse();
  }

  @Test
  void ratiosDivideCatenaByTheOther() {
    var catena =
        new KvVsRedisBench.Result("catena", KvVsRedisBench.Op.PUT, 1_000_000, 1, 10, 0, 2, 4, 8);
    var redis =
        new KvVsRedisBench.Result("redis", KvVsRedisBench.Op.PUT, 1_000_000, 1, 10, 0, 1, 2, 2);
    var otherSize =
        new KvVsRedisBench.Result("redis", KvVsRedisBench.Op.PUT, 65536, 1, 10, 0, 1, 2, 2);
    assertThat(catena.mbPerSecond()).isEqualTo(5.0);
    assertThat(KvVsRedisBench.ratios(List.of(catena, redis, otherSize)))
        .containsExactly(
            new KvVsRedisBench.Ratio("redis", KvVsRedisBench.Op.PUT, 1_000_000, 0.5, 2.0, 4.0));
  }

  @Test
  void badOptionsAreBadInput() {
    assertThatThrownBy(
            () ->
                new KvVsRedisBench.Options(
                    List.of(0), 1, 1, 1, List.of(RedisServer.Durability.MEMORY), "k/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new KvVsRedisBench.Options(
                    List.of(1024), 0, 1, 1, List.of(RedisServer.Durability.MEMORY), "k/"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
