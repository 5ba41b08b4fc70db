package io.catena.bench.kv;

import io.catena.client.kv.KvClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Object put and get of fixed-size values against Catena's KV API and against a {@code
 * redis-server} this run starts itself, with the same concurrency and the same value bytes. For
 * each value size and each store: a few untimed warm-up operations, then {@code ops} puts of
 * distinct keys spread over {@code threads} threads (each op timed), then a get of every key, then
 * the keys are deleted. Reports MB/s, ops/s and p50/p99 per (store, size, op) and Catena's ratios
 * to each Redis configuration.
 */
public final class KvVsRedisBench {

  /**
   * What to run: value sizes in bytes, threads, and per size the bytes to put (ops = bytes / size,
   * at least {@code minOps}); the Redis configurations to compare with.
   */
  public record Options(
      List<Integer> valueSizes,
      int threads,
      long bytesPerSize,
      int minOps,
      List<RedisServer.Durability> redisModes,
      String keyPrefix) {
    public Options {
      valueSizes = List.copyOf(valueSizes);
      redisModes = List.copyOf(redisModes);
      if (valueSizes.isEmpty() || valueSizes.stream().anyMatch(s -> s < 1)) {
        throw new IllegalArgumentException("value sizes must be at least 1 byte");
      }
      if (threads < 1 || minOps < 1 || bytesPerSize < 1) {
        throw new IllegalArgumentException("threads, ops and bytes must be at least 1");
      }
    }

    int ops(int size) {
      return (int) Math.max(minOps, Math.min(Integer.MAX_VALUE, bytesPerSize / size));
    }
  }

  public enum Op {
    PUT,
    GET
  }

  /** One measured phase: ops operations of {@code valueBytes} each, {@code failed} of them. */
  public record Result(
      String store,
      Op op,
      int valueBytes,
      int threads,
      int ops,
      int failed,
      double seconds,
      double p50Ms,
      double p99Ms) {
    public double mbPerSecond() {
      return seconds == 0 ? 0 : (double) (ops - failed) * valueBytes / seconds / 1e6;
    }

    public double opsPerSecond() {
      return seconds == 0 ? 0 : (ops - failed) / seconds;
    }
  }

  /** Catena's throughput over another store's, and its p50/p99 over theirs (below 1: faster). */
  public record Ratio(
      String versus, Op op, int valueBytes, double throughput, double p50, double p99) {}

  private KvVsRedisBench() {}

  /**
   * Runs the whole comparison: Catena through {@code kv}, then each Redis configuration of {@code
   * options} on its own fresh server (files under {@code workDir}).
   */
  public static List<Result> run(KvClient kv, Path redisServer, Path workDir, Options options)
      throws Exception {
    List<Result> results = new ArrayList<>();
    results.addAll(measure(new ObjectStore.Catena(kv), options));
    for (RedisServer.Durability mode : options.redisModes()) {
      try (RedisServer server =
          RedisServer.start(
              redisServer, workDir.resolve("redis-" + mode.name().toLowerCase()), mode)) {
        results.addAll(
            measure(new ObjectStore.Redis(storeName(mode), server.host(), server.port()), options));
      }
    }
    return results;
  }

  static String storeName(RedisServer.Durability mode) {
    return switch (mode) {
      case MEMORY -> "redis";
      case AOF_EVERYSEC -> "redis-aof";
    };
  }

  /** Every value size, put then get, on one store. */
  static List<Result> measure(ObjectStore store, Options options) throws Exception {
    List<Result> out = new ArrayList<>();
    for (int size : options.valueSizes()) {
      ByteBuffer value = valueOf(size);
      int ops = options.ops(size);
      int warm = Math.min(8, ops);
      List<byte[]> keys = keys(options.keyPrefix() + store.name() + "/" + size + "/", ops);
      List<byte[]> warmKeys =
          keys(options.keyPrefix() + store.name() + "/" + size + "/warm/", warm);
      phase(store, Op.PUT, warmKeys, value, options.threads());
      phase(store, Op.GET, warmKeys, value, options.threads());
      out.add(phase(store, Op.PUT, keys, value, options.threads()));
      out.add(phase(store, Op.GET, keys, value, options.threads()));
      verifyOne(store, keys.getFirst(), value);
      List<byte[]> all = new ArrayList<>(keys);
      all.addAll(warmKeys);
      store.delete(all);
    }
    return out;
  }

  private static Result phase(
      ObjectStore store, Op op, List<byte[]> keys, ByteBuffer value, int threads) throws Exception {
    int size = value.remaining();
    double[] latencies = new double[keys.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong end = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  ByteBuffer dst = ByteBuffer.allocateDirect(size);
                  try (ObjectStore.Connection c = store.connect()) {
                    for (int i = next.getAndIncrement();
                        i < keys.size();
                        i = next.getAndIncrement()) {
                      long t0 = System.nanoTime();
                      boolean ok;
                      if (op == Op.PUT) {
                        ok = c.put(keys.get(i), value.duplicate());
                      } else {
                        ok = c.get(keys.get(i), dst.clear()) == size;
                      }
                      long t1 = System.nanoTime();
                      latencies[i] = (t1 - t0) / 1e6;
                      end.accumulateAndGet(t1, Math::max);
                      if (!ok) {
                        failed.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
      double seconds = (end.get() - start) / 1e9;
      double[] sorted = latencies.clone();
      Arrays.sort(sorted);
      return new Result(
          store.name(),
          op,
          size,
          threads,
          keys.size(),
          failed.get(),
          seconds,
          percentile(sorted, 50),
          percentile(sorted, 99));
    } finally {
      pool.shutdownNow();
    }
  }

  private static void verifyOne(ObjectStore store, byte[] key, ByteBuffer value) {
    ByteBuffer dst = ByteBuffer.allocate(value.remaining());
    try (ObjectStore.Connection c = store.connect()) {
      int n = c.get(key, dst);
      if (n != value.remaining() || !dst.flip().equals(value.duplicate())) {
        throw new IllegalStateException(
            store.name() + " returned other bytes than were put under " + new String(key));
      }
    }
  }

  /** Catena's ratios to every other store of {@code results}, per op and value size. */
  public static List<Ratio> ratios(List<Result> results) {
    List<Ratio> out = new ArrayList<>();
    for (Result c : results) {
      if (!c.store().equals("catena")) {
        continue;
      }
      for (Result r : results) {
        if (r.store().equals("catena") || r.op() != c.op() || r.valueBytes() != c.valueBytes()) {
          continue;
        }
        out.add(
            new Ratio(
                r.store(),
                c.op(),
                c.valueBytes(),
                div(c.mbPerSecond(), r.mbPerSecond()),
                div(c.p50Ms(), r.p50Ms()),
                div(c.p99Ms(), r.p99Ms())));
      }
    }
    return out;
  }

  private static double div(double a, double b) {
    return b == 0 ? 0 : a / b;
  }

  /** Pseudo-random bytes (a fixed seed), the same for every store. */
  static ByteBuffer valueOf(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    ByteBuffer b = ByteBuffer.allocateDirect(size);
    b.put(bytes).flip();
    return b.asReadOnlyBuffer();
  }

  private static List<byte[]> keys(String prefix, int n) {
    List<byte[]> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add((prefix + i).getBytes(StandardCharsets.UTF_8));
    }
    return keys;
  }

  /** The nearest-rank percentile of sorted samples; 0 for none. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
