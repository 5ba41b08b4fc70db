package io.catena.bench;

import com.google.protobuf.ByteString;
import io.catena.protocol.data.ChunkDataClient;
import io.catena.protocol.data.ChunkReadReply;
import io.catena.protocol.data.ChunkReadRequest;
import io.catena.protocol.grpc.AliasingMarshallers;
import io.catena.protocol.storage.ReadRequest;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.RequestId;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chain.ChainMember;
import io.catena.storage.chain.ChainView;
import io.catena.storage.chain.PublicTargetState;
import io.catena.storage.chain.StaticRoutingSource;
import io.catena.storage.chunk.ChunkId;
import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.chunk.FsyncPolicy;
import io.catena.storage.server.GrpcChainPeers;
import io.catena.storage.server.LocalStateBoard;
import io.catena.storage.server.StorageConfig;
import io.catena.storage.server.StorageServer;
import io.catena.storage.server.TargetConfig;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Storage throughput workload: 4 MiB sequential writes and reads and 4 KiB random reads through
 * storage daemons on loopback (one daemon, then a chain of three), each next to the machine's own
 * limits measured in the same run (raw loopback TCP, raw sequential file write and read).
 *
 * <p>Run (see docs/performance.md): {@code java -cp ... io.catena.bench.StorageThroughputBench
 * [--dir DIR] [--mib 256] [--fsync always|never] [--random-seconds 10] [--concurrency 4]}
 */
public final class StorageThroughputBench {
  private static final int CHUNK = 4 * 1024 * 1024;
  private static final int SMALL = 4096;
  private static final int CHAIN = 1;

  /** Reads received through the aliasing marshaller: one copy of the chunk on receipt. */
  private static final MethodDescriptor<ReadRequest, ReadResponse> READ =
      AliasingMarshallers.aliasing(StorageServiceGrpc.getReadMethod());

  private final Path dir;
  private final int chunks;
  private final FsyncPolicy fsync;
  private final int randomSeconds;
  private final int concurrency;
  private final byte[] payload = new byte[CHUNK];

  private StorageThroughputBench(
      Path dir, int mib, FsyncPolicy fsync, int randomSeconds, int concurrency) {
    this.dir = dir;
    this.chunks = Math.max(1, mib / 4);
    this.fsync = fsync;
    this.randomSeconds = randomSeconds;
    this.concurrency = concurrency;
    new Random(1).nextBytes(payload);
  }

  public static void main(String[] args) throws Exception {
    quietLogging();
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "catena-storage-bench");
    int mib = 256;
    FsyncPolicy fsync = FsyncPolicy.ALWAYS;
    int seconds = 10;
    int concurrency = 4;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[i + 1]);
        case "--mib" -> mib = Integer.parseInt(args[i + 1]);
        case "--fsync" ->
            fsync = FsyncPolicy.valueOf(args[i + 1].toUpperCase(java.util.Locale.ROOT));
        case "--random-seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    new StorageThroughputBench(dir, mib, fsync, seconds, concurrency).run();
    System.exit(0);
  }

  private void run() throws Exception {
    deleteTree(dir);
    Files.createDirectories(dir);
    long bytes = (long) chunks * CHUNK;
    System.out.printf(
        "data %d MiB in 4 MiB chunks, fsync %s, concurrency %d, cores %d%n",
        bytes >> 20, fsync, concurrency, Runtime.getRuntime().availableProcessors());
    double tcp = loopbackTcp(bytes * 2);
    double[] disk = rawFile(bytes);
    System.out.printf("raw loopback TCP (1 stream)      %8.0f MB/s%n", tcp);
    System.out.printf("raw file write 4 MiB (+fsync)    %8.0f MB/s%n", disk[0]);
    System.out.printf("raw file read 4 MiB (page cache) %8.0f MB/s%n", disk[1]);
    for (int replicas : new int[] {1, 3}) {
      chainRun(replicas, tcp, disk);
    }
    deleteTree(dir);
  }

  private void chainRun(int replicas, double tcp, double[] disk) throws Exception {
    StaticRoutingSource routing = new StaticRoutingSource();
    EngineConfig engine = EngineConfig.defaults().withFsync(fsync);
    List<StorageServer> servers = new ArrayList<>();
    List<ChainMember> members = new ArrayList<>();
    ManagedChannel[] channels = new ManagedChannel[replicas];
    try {
      for (int i = 0; i < replicas; i++) {
        Path t = dir.resolve("r" + replicas + "-t" + i);
        StorageServer s =
            StorageServer.start(
                StorageConfig.loopback(i + 1, List.of(new TargetConfig(101 + i, CHAIN, t)), engine),
                routing,
                new LocalStateBoard(),
                RequestAuthorizer.allowAll());
        servers.add(s);
        members.add(new ChainMember(101 + i, PublicTargetState.SERVING, s.address()));
        channels[i] = GrpcChainPeers.channel(s.address());
      }
      ChainView view = new ChainView(CHAIN, 1, members);
      routing.apply(view);
      var head = StorageServiceGrpc.newBlockingStub(channels[0]);
      ByteString data = ByteString.copyFrom(payload);
      // warm-up (JIT, connections, data files) on other chunks, not measured
      for (int k = 0; k < 8; k++) {
        ChunkId id = ChunkId.of(8, k);
        head.write(
            WriteRequest.newBuilder()
                .setChainId(CHAIN)
                .setChainVersion(1)
                .setChunkId(ByteString.copyFrom(id.toBytes()))
                .setData(data)
                .build());
        for (ManagedChannel c : channels) {
          StorageServiceGrpc.newBlockingStub(c)
              .read(
                  ReadRequest.newBuilder()
                      .setChainId(CHAIN)
                      .setChainVersion(1)
                      .setChunkId(ByteString.copyFrom(id.toBytes()))
                      .build());
        }
      }

      long start = System.nanoTime();
      parallel(
          concurrency,
          chunks,
          k -> {
            WriteResponse r =
                head.write(
                    WriteRequest.newBuilder()
                        .setChainId(CHAIN)
                        .setChainVersion(1)
                        .setChunkId(ByteString.copyFrom(ChunkId.of(7, k).toBytes()))
                        .setData(data)
                        .setRequestId(RequestId.newBuilder().setClientId("bench").setSeq(k))
                        .build());
            check(r.hasError(), r.getError().getMessage());
          });
      double write = mbps((long) chunks * CHUNK, System.nanoTime() - start);

      start = System.nanoTime();
      parallel(
          concurrency,
          chunks,
          k -> {
            ReadResponse r =
                ClientCalls.blockingUnaryCall(
                    channels[k % replicas], READ, CallOptions.DEFAULT, read(k, 0, 0));
            check(r.hasError() || r.getData().size() != CHUNK, r.getError().getMessage());
          });
      double read = mbps((long) chunks * CHUNK, System.nanoTime() - start);

      double dataRead;
      double tcpNear;
      InetSocketAddress[] dataAddresses = new InetSocketAddress[replicas];
      for (int i = 0; i < replicas; i++) {
        dataAddresses[i] = new InetSocketAddress("127.0.0.1", servers.get(i).dataPort());
      }
      try (ChunkDataClient dataClient = new ChunkDataClient(Duration.ofSeconds(60))) {
        ThreadLocal<ByteBuffer> buffers =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));
        for (int k = 0; k < 8; k++) {
          for (InetSocketAddress a : dataAddresses) {
            dataClient.read(a, dataRead(ChunkId.of(8, k)), buffers.get().clear());
          }
        }
        tcpNear = loopbackTcp((long) chunks * CHUNK);
        start = System.nanoTime();
        parallel(
            concurrency,
            chunks,
            k -> {
              ChunkReadReply r =
                  dataClient.read(
                      dataAddresses[k % replicas],
                      dataRead(ChunkId.of(7, k)),
                      buffers.get().clear());
              check(r.length() != CHUNK, "short read " + r.length());
            });
        dataRead = mbps((long) chunks * CHUNK, System.nanoTime() - start);
      }

      long[] latencies = randomReads(channels);
      long ops = latencies.length;
      Arrays.sort(latencies);
      double iops = ops / (double) randomSeconds;

      System.out.printf("%n-- chain of %d replica(s) on loopback --%n", replicas);
      System.out.printf(
          "4 MiB write  %8.0f MB/s  = %.2f of raw TCP, %.2f of raw file write%n",
          write, write / tcp, write / disk[0]);
      System.out.printf(
          "4 MiB read   %8.0f MB/s  = %.2f of raw TCP, %.2f of raw file read%n",
          read, read / tcp, read / disk[1]);
      System.out.printf(
          "4 MiB read, data channel %8.0f MB/s  = %.2f of raw TCP, %.2f of raw file read%n",
          dataRead, dataRead / tcp, dataRead / disk[1]);
      System.out.printf(
          "  raw TCP measured just before it %8.0f MB/s: data channel read = %.2f of it%n",
          tcpNear, dataRead / tcpNear);
      System.out.printf(
          "4 KiB random read %8.0f IOPS  p50 %.3f ms  p99 %.3f ms (concurrency %d)%n",
          iops,
          latencies[(int) (ops * 0.50)] / 1e6,
          latencies[(int) Math.min(ops - 1, ops * 0.99)] / 1e6,
          concurrency);
    } finally {
      for (ManagedChannel c : channels) {
        if (c != null) {
          c.shutdownNow();
        }
      }
      servers.forEach(StorageServer::close);
    }
  }

  private long[] randomReads(ManagedChannel[] channels) throws Exception {
    long end = System.nanoTime() + randomSeconds * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<long[]>> parts = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      int worker = w;
      parts.add(
          pool.submit(
              () -> {
                ManagedChannel channel = channels[worker % channels.length];
                long[] lat = new long[1 << 16];
                int n = 0;
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                  int k = rnd.nextInt(chunks);
                  int offset = rnd.nextInt(CHUNK / SMALL) * SMALL;
                  long t0 = System.nanoTime();
                  ReadResponse r =
                      ClientCalls.blockingUnaryCall(
                          channel, READ, CallOptions.DEFAULT, read(k, offset, SMALL));
                  long t = System.nanoTime() - t0;
                  check(r.hasError() || r.getData().size() != SMALL, r.getError().getMessage());
                  if (n == lat.length) {
                    lat = Arrays.copyOf(lat, n * 2);
                  }
                  lat[n++] = t;
                }
                return Arrays.copyOf(lat, n);
              }));
    }
    List<long[]> all = new ArrayList<>();
    int total = 0;
    for (Future<long[]> f : parts) {
      long[] p = f.get();
      all.add(p);
      total += p.length;
    }
    pool.shutdown();
    long[] merged = new long[total];
    int pos = 0;
    for (long[] p : all) {
      System.arraycopy(p, 0, merged, pos, p.length);
      pos += p.length;
    }
    return merged;
  }

  private static ChunkReadRequest dataRead(ChunkId id) {
    return new ChunkReadRequest(CHAIN, 1, id.toBytes(), 0, 0, "");
  }

  private static ReadRequest read(int k, int offset, int length) {
    return ReadRequest.newBuilder()
        .setChainId(CHAIN)
        .setChainVersion(1)
        .setChunkId(ByteString.copyFrom(ChunkId.of(7, k).toBytes()))
        .setOffset(offset)
        .setLength(length)
        .build();
  }

  private static double loopbackTcp(long bytes) throws Exception {
    return RawLoopback.tcpMegabytesPerSecond(bytes, CHUNK);
  }

  /** Sequential 4 MiB positional writes (then one fsync) and reads of one file. */
  private double[] rawFile(long bytes) throws IOException {
    Path file = dir.resolve("raw.dat");
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
    buf.put(payload);
    long start = System.nanoTime();
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (long pos = 0; pos < bytes; pos += CHUNK) {
        buf.clear();
        while (buf.hasRemaining()) {
          ch.write(buf, pos + buf.position());
        }
        if (fsync == FsyncPolicy.ALWAYS) {
          ch.force(false);
        }
      }
    }
    double write = mbps(bytes, System.nanoTime() - start);
    start = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (long pos = 0; pos < bytes; pos += CHUNK) {
        buf.clear();
        while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) > 0) {
          // keep reading
        }
      }
    }
    double read = mbps(bytes, System.nanoTime() - start);
    Files.delete(file);
    return new double[] {write, read};
  }

  private interface Task {
    void run(int k) throws Exception;
  }

  private static void parallel(int threads, int count, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
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
    pool.shutdown();
  }

  private static void check(boolean failed, String message) {
    if (failed) {
      throw new IllegalStateException("request failed: " + message);
    }
  }

  private static double mbps(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  /** Logs at WARN unless a logback configuration is given: debug output would skew timings. */
  static void quietLogging() throws IOException {
    if (System.getProperty("logback.configurationFile") == null) {
      Path config = Files.createTempFile("catena-bench-logback", ".xml");
      Files.writeString(
          config,
          "<configuration><appender name=\"E\" class=\"ch.qos.logback.core.ConsoleAppender\">"
              + "<target>System.err</target><encoder><pattern>%level %logger{20} %msg%n</pattern>"
              + "</encoder></appender><root level=\"WARN\"><appender-ref ref=\"E\"/></root>"
              + "</configuration>");
      config.toFile().deleteOnExit();
      System.setProperty("logback.configurationFile", config.toString());
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
