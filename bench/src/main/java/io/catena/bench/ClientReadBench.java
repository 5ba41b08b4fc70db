package io.catena.bench;

import io.catena.client.CatenaClient;
import io.catena.client.CatenaClientConfig;
import io.catena.client.storage.ChunkClient;
import io.catena.client.storage.ChunkRead;
import io.catena.client.storage.ChunkWrite;
import io.catena.client.storage.DataChannelStats;
import io.catena.client.storage.ReplicaSelector;
import io.catena.client.storage.StorageChannels;
import io.catena.kv.KvEngine;
import io.catena.kv.memory.MemoryKvEngine;
import io.catena.mgmtd.MgmtdConfig;
import io.catena.mgmtd.MgmtdServer;
import io.catena.mgmtd.cluster.MgmtdSettings;
import io.catena.protocol.mgmtd.AddNodeRequest;
import io.catena.protocol.mgmtd.AdminResponse;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.CreateTargetsRequest;
import io.catena.protocol.mgmtd.DiskInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.SetChainTableRequest;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.routing.AddressResolver;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.chunk.FsyncPolicy;
import io.catena.storage.mgmtd.MgmtdHeartbeater;
import io.catena.storage.mgmtd.MgmtdRoutingSource;
import io.catena.storage.server.StorageConfig;
import io.catena.storage.server.StorageServer;
import io.catena.storage.server.TargetConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * 4 MiB chunk reads through the client library ({@link CatenaClient}: routing from mgmtd, replica
 * choice, retries), against one storage daemon on loopback that follows an in-process mgmtd: once
 * as the client reads by default (the data channel mgmtd's routing publishes), once over gRPC only,
 * each next to raw loopback TCP measured just before it in the same run.
 *
 * <p>Run (see docs/performance.md): {@code java -cp ... io.catena.bench.ClientReadBench [--dir DIR]
 * [--mib 256] [--concurrency 4] [--rounds 3]}
 */
public final class ClientReadBench {
  private static final int CHUNK = 4 * 1024 * 1024;
  private static final int NODE = 1;
  private static final int CHAIN = 1;
  private static final long TARGET = 101;
  private static final Duration WAIT = Duration.ofMinutes(2);

  private final Path dir;
  private final int chunks;
  private final int concurrency;
  private final int rounds;

  private ClientReadBench(Path dir, int mib, int concurrency, int rounds) {
    this.dir = dir;
    this.chunks = Math.max(1, mib / 4);
    this.concurrency = concurrency;
    this.rounds = rounds;
  }

  public static void main(String[] args) throws Exception {
    StorageThroughputBench.quietLogging();
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "catena-client-bench");
    int mib = 256;
    int concurrency = 4;
    int rounds = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[i + 1]);
        case "--mib" -> mib = Integer.parseInt(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    new ClientReadBench(dir, mib, concurrency, rounds).run();
    System.exit(0);
  }

  private void run() throws Exception {
    deleteTree(dir);
    Files.createDirectories(dir);
    EngineConfig engine = EngineConfig.defaults().withFsync(FsyncPolicy.NEVER);
    MgmtdRoutingSource routing = new MgmtdRoutingSource();
    MgmtdHeartbeater heartbeat = new MgmtdHeartbeater("storage-1", NODE);
    try (KvEngine kv = MemoryKvEngine.create();
        MgmtdServer mgmtd =
            MgmtdServer.start(
                new MgmtdConfig(
                    "m1", "127.0.0.1", 0, "127.0.0.1", "memory:", MgmtdSettings.local()),
                kv,
                Clock.systemUTC());
        MgmtdClient admin =
            new MgmtdClient(
                List.of(mgmtd.address()),
                AddressResolver.system(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(60));
        StorageServer storage =
            StorageServer.start(
                StorageConfig.loopback(
                    NODE, List.of(new TargetConfig(TARGET, CHAIN, dir.resolve("t"))), engine),
                routing,
                heartbeat,
                RequestAuthorizer.allowAll())) {
      register(admin, storage, routing, heartbeat);
      CatenaClientConfig config =
          CatenaClientConfig.of(List.of(mgmtd.address()), "127.0.0.1:1", "bench-token")
              .withCallTimeout(Duration.ofSeconds(60));
      try (CatenaClient client = CatenaClient.connect(config);
          StorageChannels grpcChannels = new StorageChannels(config.callTimeout());
          ChunkClient grpcOnly =
              new ChunkClient(
                  client.routing(),
                  grpcChannels,
                  new ReplicaSelector(),
                  config.token(),
                  "bench-grpc",
                  config.ioRetryBudget())) {
        byte[] payload = new byte[CHUNK];
        new Random(1).nextBytes(payload);
        parallel(
            concurrency,
            chunks,
            k ->
                client
                    .chunks()
                    .write(new ChunkWrite(CHAIN, id(k), 0, ByteBuffer.wrap(payload)))
                    .get());
        System.out.printf(
            "client 4 MiB reads: %d MiB, concurrency %d, cores %d%n",
            (long) chunks * 4, concurrency, Runtime.getRuntime().availableProcessors());
        // warm-up of both paths (JIT, connections), not measured
        readAll(client.chunks(), Math.min(chunks, 8));
        readAll(grpcOnly, Math.min(chunks, 8));
        for (int round = 1; round <= rounds; round++) {
          double tcp1 = loopbackTcp((long) chunks * CHUNK);
          double data = readAll(client.chunks(), chunks);
          double tcp2 = loopbackTcp((long) chunks * CHUNK);
          double grpc = readAll(grpcOnly, chunks);
          System.out.printf(
              "round %d: client data channel %6.0f MB/s = %.2f of raw TCP (%5.0f MB/s);"
                  + " client gRPC %6.0f MB/s = %.2f of raw TCP (%5.0f MB/s)%n",
              round, data, data / tcp1, tcp1, grpc, grpc / tcp2, tcp2);
        }
        DataChannelStats stats = client.chunks().dataChannelStats();
        System.out.printf(
            "data channel: %d reads, %d MiB, %d fallbacks to gRPC; daemon served %d%n",
            stats.reads(), stats.bytes() >> 20, stats.fallbacks(), storage.dataChannelReads());
      }
    } finally {
      heartbeat.close();
      routing.close();
      deleteTree(dir);
    }
  }

  /** Adds the node, its target and a one-chain table, then lets the daemon follow mgmtd. */
  private static void register(
      MgmtdClient admin,
      StorageServer storage,
      MgmtdRoutingSource routing,
      MgmtdHeartbeater heartbeat)
      throws Exception {
    NodeInfo node =
        NodeInfo.newBuilder()
            .setNodeId(NODE)
            .setAddress(storage.address())
            .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(1L << 36))
            .build();
    ok(
        admin.admin(
            s -> s.addNode(AddNodeRequest.newBuilder().setNode(node).build()),
            AdminResponse::getError));
    ok(
        admin.admin(
            s ->
                s.createTargets(
                    CreateTargetsRequest.newBuilder()
                        .addTargets(
                            TargetInfo.newBuilder()
                                .setTargetId(TARGET)
                                .setNodeId(NODE)
                                .setCapacityBytes(1L << 35))
                        .build()),
            AdminResponse::getError));
    ok(
        admin.admin(
            s ->
                s.setChainTable(
                    SetChainTableRequest.newBuilder()
                        .setTableId(1)
                        .addChains(ChainSpec.newBuilder().setChainId(CHAIN).addTargetIds(TARGET))
                        .build()),
            AdminResponse::getError));
    routing.start(admin);
    heartbeat.start(admin, storage::address, storage::dataAddress, t -> 0);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!ready(admin.routingInfo(0).orElse(RoutingInfo.getDefaultInstance()))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the daemon did not come up in mgmtd's routing");
      }
      Thread.sleep(50);
    }
  }

  private static boolean ready(RoutingInfo info) {
    return info.getNodesList().stream().anyMatch(n -> !n.getDataAddress().isEmpty())
        && info.getChainsList().stream()
            .anyMatch(
                c ->
                    c.getMembersList().stream()
                        .allMatch(m -> m.getPublicState() == PublicState.SERVING));
  }

  private static void ok(AdminResponse r) {
    if (r.hasError()) {
      throw new IllegalStateException("mgmtd refused: " + r.getError().getMessage());
    }
  }

  /** Reads chunks 0..n-1 whole, {@code concurrency} at a time; MB/s. */
  private double readAll(ChunkClient chunksClient, int n) throws Exception {
    ThreadLocal<ByteBuffer> buffers =
        ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));
    long start = System.nanoTime();
    parallel(
        concurrency,
        n,
        k -> {
          int got = chunksClient.read(new ChunkRead(CHAIN, id(k), 0, CHUNK, buffers.get())).get();
          if (got != CHUNK) {
            throw new IllegalStateException("short read of chunk " + k + ": " + got);
          }
        });
    return (double) n * CHUNK / ((System.nanoTime() - start) / 1e9) / 1e6;
  }

  private static byte[] id(int k) {
    return ByteBuffer.allocate(16).putLong(0xBE7C4L).putLong(k).array();
  }

  private static double loopbackTcp(long bytes) throws Exception {
    return RawLoopback.tcpMegabytesPerSecond(bytes, CHUNK);
  }

  private interface Task {
    void run(int k) throws Exception;
  }

  private static void parallel(int threads, int count, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        int key = k;
        futures.add(
            pool.submit(
                () -> {
                  task.run(key);
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
