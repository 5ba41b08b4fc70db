package io.catena.installer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.bench.kv.KvVsRedisBench;
import io.catena.bench.kv.RedisServer;
import io.catena.client.CatenaClient;
import io.catena.client.kv.KvClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catena bench kv-vs-redis}: object put/get of fixed-size values through the KV API of a
 * running cluster and through a {@code redis-server} the command starts itself
 * (docs/performance.md).
 */
@Command(
    name = "kv-vs-redis",
    description = {
      "Put and get fixed-size values through Catena's KV API and through a redis-server started"
          + " for the run (same threads, same bytes); report MB/s, ops/s, p50/p99 and ratios."
    },
    mixinStandardHelpOptions = true)
final class KvVsRedisCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ClusterClientOptions cluster;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "65536,1048576,4194304",
      description = "Value sizes in bytes (default ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(names = "--threads", defaultValue = "4", description = "Concurrent callers per store.")
  int threads;

  @Option(
      names = "--mib-per-size",
      defaultValue = "256",
      description = "MiB put (then got) per value size and store (default ${DEFAULT-VALUE}).")
  long mibPerSize;

  @Option(
      names = "--min-ops",
      defaultValue = "64",
      description = "At least this many puts and gets per value size (default ${DEFAULT-VALUE}).")
  int minOps;

  @Option(
      names = "--redis",
      split = ",",
      defaultValue = "memory,aof",
      description =
          "Redis configurations: memory (no persistence), aof (appendonly, fsync every second)."
              + " Default ${DEFAULT-VALUE}.")
  List<String> redisModes;

  @Option(
      names = "--redis-server",
      description = "The redis-server executable (default: on the PATH, else /usr/bin).")
  Path redisServer;

  @Option(names = "--json", description = "Print the results as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    cluster.check();
    Path server =
        redisServer != null
            ? redisServer
            : RedisServer.findExecutable()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "no redis-server on the PATH or in /usr/bin (apt-get install"
                                + " redis-server), or name it with --redis-server"));
    if (!Files.isExecutable(server)) {
      throw new IllegalArgumentException(server + " is not an executable");
    }
    List<RedisServer.Durability> modes = new ArrayList<>();
    for (String m : redisModes) {
      modes.add(
          switch (m.strip()) {
            case "memory" -> RedisServer.Durability.MEMORY;
            case "aof" -> RedisServer.Durability.AOF_EVERYSEC;
            default ->
                throw new IllegalArgumentException(
                    "unknown redis configuration '" + m + "' (memory, aof)");
          });
    }
    KvVsRedisBench.Options options =
        new KvVsRedisBench.Options(
            sizes,
            threads,
            mibPerSize << 20,
            minOps,
            modes,
            "kv-vs-redis/" + System.currentTimeMillis() + "/");
    Path work = Files.createTempDirectory("catena-kv-vs-redis");
    List<KvVsRedisBench.Result> results;
    try (CatenaClient client = cluster.connect();
        KvClient kv = KvClient.open(client)) {
      results = KvVsRedisBench.run(kv, server, work, options);
    } finally {
      deleteTree(work);
    }
    List<KvVsRedisBench.Ratio> ratios = KvVsRedisBench.ratios(results);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("threads", threads);
      m.put(
          "results",
          results.stream()
              .map(
                  r -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("store", r.store());
                    e.put("op", r.op().name().toLowerCase());
                    e.put("value_bytes", r.valueBytes());
                    e.put("ops", r.ops());
                    e.put("failed", r.failed());
                    e.put("seconds", r.seconds());
                    e.put("mb_per_s", r.mbPerSecond());
                    e.put("ops_per_s", r.opsPerSecond());
                    e.put("p50_ms", r.p50Ms());
                    e.put("p99_ms", r.p99Ms());
                    return e;
                  })
              .toList());
      m.put(
          "ratios",
          ratios.stream()
              .map(
                  r -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("versus", r.versus());
                    e.put("op", r.op().name().toLowerCase());
                    e.put("value_bytes", r.valueBytes());
                    e.put("throughput", r.throughput());
                    e.put("p50", r.p50());
                    e.put("p99", r.p99());
                    return e;
                  })
              .toList());
      out.println(new ObjectMapper().writeValueAsString(m));
    } else {
      out.printf(
          "%-10s %-4s %9s %6s %7s %9s %9s %9s %9s%n",
          "store", "op", "bytes", "ops", "failed", "MB/s", "ops/s", "p50 ms", "p99 ms");
      for (KvVsRedisBench.Result r : results) {
        out.printf(
            "%-10s %-4s %9d %6d %7d %9.1f %9.1f %9.2f %9.2f%n",
            r.store(),
            r.op().name().toLowerCase(),
            r.valueBytes(),
            r.ops(),
            r.failed(),
            r.mbPerSecond(),
            r.opsPerSecond(),
            r.p50Ms(),
            r.p99Ms());
      }
      out.println("catena / other (throughput: above 1 is faster; latency: below 1 is faster):");
      for (KvVsRedisBench.Ratio r : ratios) {
        out.printf(
            "  vs %-10s %-4s %9d B: throughput %.2fx, p50 %.2fx, p99 %.2fx%n",
            r.versus(),
            r.op().name().toLowerCase(),
            r.valueBytes(),
            r.throughput(),
            r.p50(),
            r.p99());
      }
    }
    out.flush();
    return 0;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
