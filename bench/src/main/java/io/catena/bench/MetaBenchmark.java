package io.catena.bench;

import io.catena.kv.KvEngine;
import io.catena.kv.KvEngines;
import io.catena.meta.AuthInterceptor;
import io.catena.meta.ChainTable;
import io.catena.meta.InMemoryChainTableCatalog;
import io.catena.meta.LayoutRequest;
import io.catena.meta.MetaNode;
import io.catena.meta.MetaStore;
import io.catena.meta.Principal;
import io.catena.meta.Quota;
import io.catena.meta.Tenant;
import io.catena.protocol.meta.CloseRequest;
import io.catena.protocol.meta.CreateRequest;
import io.catena.protocol.meta.MetaServiceGrpc;
import io.catena.protocol.meta.ReadDirRequest;
import io.catena.protocol.meta.StatRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Meta operations per second on the RocksDB engine with several client threads: create, close (with
 * length), stat and readdir (pages of 100) of files in one shared directory, through gRPC on
 * loopback or by direct calls, next to the raw KvEngine's blind-write and point-read rates on the
 * same database as the ceiling. An untimed warm-up of the same calls runs first. Run: see
 * bench/README.md.
 */
public final class MetaBenchmark {

  /** What to run. {@code dir} null: a temporary directory, removed afterwards. */
  public record Options(
      int threads, int filesPerThread, int statsPerThread, boolean grpc, boolean fsync, Path dir) {}

  /** One phase's outcome. */
  public record Result(String phase, long operations, double seconds) {
    public double perSecond() {
      return operations / seconds;
    }
  }

  private interface Client {
    long[] create(String path);

    void close(long inode, long session, long length);

    void stat(String path);

    /** Lists {@code dir} in pages of 100; returns the number of pages. */
    int readDirPages(String dir);
  }

  private MetaBenchmark() {}

  public static void main(String[] args) throws Exception {
    int threads = 4;
    int files = 5000;
    int stats = 20000;
    boolean grpc = true;
    boolean fsync = true;
    boolean json = false;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--files-per-thread" -> files = Integer.parseInt(args[++i]);
        case "--stats-per-thread" -> stats = Integer.parseInt(args[++i]);
        case "--direct" -> grpc = false;
        case "--no-fsync" -> fsync = false;
        case "--dir" -> dir = Path.of(args[++i]);
        case "--json" -> json = true;
        default -> {
          System.err.println(
              "usage: MetaBenchmark [--threads N] [--files-per-thread N] [--stats-per-thread N]"
                  + " [--direct] [--no-fsync] [--dir PATH] [--json]");
          System.exit(2);
        }
      }
    }
    Options options = new Options(threads, files, stats, grpc, fsync, dir);
    List<Result> results = run(options);
    if (json) {
      StringBuilder sb = new StringBuilder("[");
      for (Result r : results) {
        if (sb.length() > 1) {
          sb.append(',');
        }
        sb.append(
            String.format(
                "{\"phase\":\"%s\",\"operations\":%d,\"seconds\":%.3f,\"perSecond\":%.0f}",
                r.phase(), r.operations(), r.seconds(), r.perSecond()));
      }
      System.out.println(sb.append(']'));
    } else {
      System.out.printf(
          "meta on rocksdb (fsync=%s), %d threads, %s%n",
          fsync, threads, grpc ? "gRPC over 127.0.0.1" : "direct calls");
      for (Result r : results) {
        System.out.printf(
            "  %-22s %9d ops %8.2f s %10.0f ops/s%n",
            r.phase(), r.operations(), r.seconds(), r.perSecond());
      }
    }
  }

  public static List<Result> run(Options o) throws Exception {
    Path dir = o.dir() != null ? o.dir() : Files.createTempDirectory("catena-meta-bench");
    List<Result> results = new ArrayList<>();
    try (KvEngine kv =
        KvEngines.open("rocksdb:" + dir.resolve("kv") + (o.fsync() ? "" : "?fsync=false"))) {
      InMemoryChainTableCatalog catalog = new InMemoryChainTableCatalog();
      List<Integer> chains = new ArrayList<>();
      for (int c = 1; c <= 64; c++) {
        chains.add(c);
      }
      catalog.put(new ChainTable(1, 1, chains));
      try (MetaNode node = new MetaNode(kv, catalog, removal -> {})) {
        node.tenants().bootstrap();
        Tenant tenant = node.tenants().createTenant("bench", new Quota(0, 0), List.of(1), 16);
        String token = node.tenants().issueToken(tenant.id(), 0, 0).token();
        Principal who = node.verifier().verify(token);
        node.store().mkdir(who, "/bench", 0755, false);
        if (o.grpc()) {
          Server server = startServer(node);
          ManagedChannel channel =
              NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
          try {
            measure(o, grpcClient(channel, token), results);
          } finally {
            channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
          }
        } else {
          measure(o, directClient(node.store(), who), results);
        }
      }
      results.addAll(kvCeiling(kv, o));
    } finally {
      if (o.dir() == null) {
        deleteTree(dir);
      }
    }
    return results;
  }

  private static Server startServer(MetaNode node) throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    for (ServerServiceDefinition service : node.services()) {
      builder.addService(service);
    }
    return builder.build().start();
  }

  private static Client grpcClient(ManagedChannel channel, String token) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, AuthInterceptor.bearer(token));
    MetaServiceGrpc.MetaServiceBlockingStub stub =
        MetaServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    return new Client() {
      @Override
      public long[] create(String path) {
        var reply =
            stub.create(
                CreateRequest.newBuilder().setPath(path).setMode(0644).setExclusive(true).build());
        return new long[] {reply.getInode().getId(), reply.getSessionId()};
      }

      @Override
      public void close(long inode, long session, long length) {
        stub.close(
            CloseRequest.newBuilder()
                .setInodeId(inode)
                .setSessionId(session)
                .setSetLength(true)
                .setLength(length)
                .build());
      }

      @Override
      public void stat(String path) {
        stub.stat(StatRequest.newBuilder().setPath(path).build());
      }

      @Override
      public int readDirPages(String dir) {
        int pages = 0;
        String after = "";
        while (true) {
          var page =
              stub.readDir(
                  ReadDirRequest.newBuilder()
                      .setPath(dir)
                      .setStartAfter(after)
                      .setLimit(100)
                      .build());
          pages++;
          if (!page.getMore()) {
            return pages;
          }
          after = page.getEntries(page.getEntriesCount() - 1).getName();
        }
      }
    };
  }

  private static Client directClient(MetaStore store, Principal who) {
    return new Client() {
      @Override
      public long[] create(String path) {
        MetaStore.Opened o = store.create(who, path, 0644, true, LayoutRequest.DEFAULT);
        return new long[] {o.inode().id(), o.sessionId()};
      }

      @Override
      public void close(long inode, long session, long length) {
        store.close(who, inode, session, Optional.of(length));
      }

      @Override
      public void stat(String path) {
        store.stat(who, path);
      }

      @Override
      public int readDirPages(String dir) {
        int pages = 0;
        String after = "";
        while (true) {
          MetaStore.DirPage page = store.readDir(who, dir, after, 100);
          pages++;
          if (!page.more()) {
            return pages;
          }
          after = page.entries().getLast().name();
        }
      }
    };
  }

  @FunctionalInterface
  private interface Work {
    long run(int thread) throws Exception;
  }

  /** Runs {@code work} on every thread at once; returns the summed operation count and time. */
  private static Result timed(String phase, int threads, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Long>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return work.run(thread);
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      long ops = 0;
      for (Future<Long> f : futures) {
        ops += f.get(30, TimeUnit.MINUTES);
      }
      return new Result(phase, ops, (System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void measure(Options o, Client client, List<Result> results) throws Exception {
    // Untimed warm-up (JIT, connections) on files outside the measured directory.
    int warm = Math.min(500, o.filesPerThread());
    timed(
        "warm-up",
        o.threads(),
        t -> {
          for (int i = 0; i < warm; i++) {
            long[] f = client.create("/warm-" + t + "-" + i);
            client.close(f[0], f[1], 1);
            client.stat("/warm-" + t + "-" + i);
          }
          client.readDirPages("/");
          return warm;
        });
    int n = o.filesPerThread();
    long[][][] opened = new long[o.threads()][n][];
    results.add(
        timed(
            "create",
            o.threads(),
            t -> {
              for (int i = 0; i < n; i++) {
                opened[t][i] = client.create(path(t, i));
              }
              return n;
            }));
    results.add(
        timed(
            "close (sets length)",
            o.threads(),
            t -> {
              for (int i = 0; i < n; i++) {
                client.close(opened[t][i][0], opened[t][i][1], 1 << 20);
              }
              return n;
            }));
    results.add(
        timed(
            "stat",
            o.threads(),
            t -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              for (int i = 0; i < o.statsPerThread(); i++) {
                client.stat(path(random.nextInt(o.threads()), random.nextInt(n)));
              }
              return o.statsPerThread();
            }));
    results.add(
        timed(
            "readdir (100/page)",
            o.threads(),
            t -> {
              long pages = 0;
              long target = Math.max(1, o.statsPerThread() / 20);
              while (pages < target) {
                pages += client.readDirPages("/bench");
              }
              return pages;
            }));
  }

  private static String path(int thread, int i) {
    return "/bench/t" + thread + "-" + i;
  }

  /** The engine's own rates on the same database: the ceiling meta works under. */
  private static List<Result> kvCeiling(KvEngine kv, Options o) throws Exception {
    int n = o.filesPerThread();
    byte[] value = new byte[120];
    Result sets =
        timed(
            "kv blind write (ceiling)",
            o.threads(),
            t -> {
              for (int i = 0; i < n; i++) {
                byte[] key =
                    ("ceiling/" + t + "/" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                kv.run(
                    tx -> {
                      tx.set(key, value);
                      return null;
                    });
              }
              return n;
            });
    Result gets =
        timed(
            "kv point read (ceiling)",
            o.threads(),
            t -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              for (int i = 0; i < o.statsPerThread(); i++) {
                byte[] key =
                    ("ceiling/" + random.nextInt(o.threads()) + "/" + random.nextInt(n))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                kv.run(tx -> tx.get(key));
              }
              return o.statsPerThread();
            });
    return List.of(sets, gets);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
