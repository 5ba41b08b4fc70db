package io.catena.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.catena.protocol.data.ChunkDataClient;
import io.catena.protocol.data.ChunkDataWire;
import io.catena.protocol.data.ChunkReadReply;
import io.catena.protocol.data.ChunkReadRequest;
import io.catena.protocol.data.DataChannelTls;
import io.catena.protocol.data.TlsByteChannel;
import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * What TLS costs the data channel: reads of 4 MiB and 64 KiB through the real {@link
 * ChunkDataClient} and the real wire ({@link ChunkDataWire}, {@link TlsByteChannel}), plain text
 * against TLS 1.3 in the same round, next to raw loopback TCP. The server is the daemon's send path
 * without the chain (no routing, token or pin checks, which cost the same on both): it answers each
 * request with one gathering write of the reply head and the chunk's bytes from a read-only mapping
 * of a data file, as {@code ChunkDataServer} does. Certificates come from a cluster CA made in a
 * temporary directory.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp ...
 * io.catena.bench.DataChannelTlsBench [--mib 256] [--streams 1] [--rounds 3] [--tls
 * both|boringssl|jdk]} (BoringSSL needs native access; without it only the JDK's TLS is measured).
 */
public final class DataChannelTlsBench {
  private static final int[] SIZES = {4 * 1024 * 1024, 64 * 1024};

  private final MemorySegment file;
  private final int[] crcs4m;
  private final int[] crcs64k;
  private final int mib;
  private final int streams;
  private final Set<String> suites = ConcurrentHashMap.newKeySet();

  private DataChannelTlsBench(MemorySegment file, int mib, int streams) {
    this.file = file;
    this.mib = mib;
    this.streams = streams;
    this.crcs4m = crcs(SIZES[0]);
    this.crcs64k = crcs(SIZES[1]);
  }

  public static void main(String[] args) throws Exception {
    int mib = 256;
    int streams = 1;
    int rounds = 3;
    List<DataChannelTls.Provider> providers =
        DataChannelTls.boringSslAvailable()
            ? List.of(DataChannelTls.Provider.BORINGSSL, DataChannelTls.Provider.JDK)
            : List.of(DataChannelTls.Provider.JDK);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mib" -> mib = Integer.parseInt(args[++i]);
        case "--streams" -> streams = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--tls" ->
            providers =
                switch (args[++i]) {
                  case "jdk" -> List.of(DataChannelTls.Provider.JDK);
                  case "boringssl" -> List.of(DataChannelTls.Provider.BORINGSSL);
                  default ->
                      List.of(DataChannelTls.Provider.BORINGSSL, DataChannelTls.Provider.JDK);
                };
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("catena-tls-bench");
    try (Arena arena = Arena.ofShared()) {
      Path data = dir.resolve("chunks.dat");
      writeFile(data, mib);
      MemorySegment mapped;
      try (FileChannel fc = FileChannel.open(data)) {
        mapped = fc.map(FileChannel.MapMode.READ_ONLY, 0, fc.size(), arena);
      }
      CertificateAuthority ca =
          CertificateAuthority.openOrCreate(dir.resolve("ca"), "bench", Clock.systemUTC());
      TransportSecurity server = identity(ca, dir, "node-1", List.of("127.0.0.1"));
      TransportSecurity client = identity(ca, dir, "client-1", List.of());
      new DataChannelTlsBench(mapped, mib, streams).run(rounds, providers, server, client);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static TransportSecurity identity(
      CertificateAuthority ca, Path dir, String name, List<String> hosts) throws IOException {
    return TransportSecurity.tls(
        ca.issue(PeerIdentity.node(name), hosts, Duration.ofDays(1))
            .writeTo(TlsIdentityFiles.in(dir.resolve(name)), ca.certificatePem()));
  }

  private void run(
      int rounds,
      List<DataChannelTls.Provider> providers,
      TransportSecurity serverTls,
      TransportSecurity clientTls)
      throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    StringBuilder flags = new StringBuilder();
    for (String f :
        List.of("UseAES", "UseAESIntrinsics", "UseAESCTRIntrinsics", "UseGHASHIntrinsics")) {
      try {
        String v = hs.getVMOption(f).getValue();
        flags.append(' ').append(f).append('=').append(v);
      } catch (IllegalArgumentException e) {
        flags.append(' ').append(f).append("=?");
      }
    }
    System.out.printf(
        "%s %s, %d cores; %d stream(s); %d MiB per 4 MiB measure, %d MiB per 64 KiB measure;%s%n",
        System.getProperty("java.vm.name"),
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        streams,
        mib,
        mib / 4,
        flags);
    TransportSecurity.Tls st = (TransportSecurity.Tls) serverTls;
    TransportSecurity.Tls ct = (TransportSecurity.Tls) clientTls;
    List<String> names = new ArrayList<>(List.of("plain"));
    List<Server> servers = new ArrayList<>();
    List<ChunkDataClient> clients = new ArrayList<>();
    servers.add(new Server(null));
    clients.add(new ChunkDataClient(Duration.ofSeconds(60), TransportSecurity.plaintext()));
    for (DataChannelTls.Provider p : providers) {
      names.add(p == DataChannelTls.Provider.JDK ? "TLS-JDK" : "TLS-BoringSSL");
      servers.add(new Server(DataChannelTls.of(st, p)));
      clients.add(new ChunkDataClient(Duration.ofSeconds(60), DataChannelTls.of(ct, p)));
    }
    try {
      // warm-up: JIT of every path (the JDK's GCM needs C2) and their connections
      for (int size : SIZES) {
        for (int i = 0; i < servers.size(); i++) {
          measure(clients.get(i), servers.get(i).address(), size, (512 << 20) / size);
        }
      }
      System.out.println("negotiated: " + suites);
      for (int round = 1; round <= rounds; round++) {
        double tcp = RawLoopback.tcpMegabytesPerSecond((long) mib << 20, SIZES[0]);
        StringBuilder line = new StringBuilder(String.format("raw TCP %5.0f MB/s", tcp));
        for (int size : SIZES) {
          int mibHere = size == SIZES[0] ? mib : mib / 4;
          int reads = (int) (((long) mibHere << 20) / size);
          double[] mbs = new double[servers.size()];
          double[] cpu = new double[servers.size()];
          for (int j = 0; j < servers.size(); j++) {
            int i = (j + round) % servers.size(); // rotate the order between rounds
            long cpu0 = os.getProcessCpuTime();
            mbs[i] = measure(clients.get(i), servers.get(i).address(), size, reads);
            // CPU seconds of this JVM (client and server) per GB read: less bent by the load
            // of other processes than MB/s
            cpu[i] = (os.getProcessCpuTime() - cpu0) / 1e9 / ((double) reads * size / 1e9);
          }
          line.append(size == SIZES[0] ? " | 4 MiB:" : " | 64 KiB:");
          for (int i = 0; i < mbs.length; i++) {
            line.append(String.format(" %s %5.0f (%.2f TCP", names.get(i), mbs[i], mbs[i] / tcp));
            line.append(i == 0 ? "" : String.format(", %.2f plain", mbs[i] / mbs[0]));
            line.append(String.format(", %.2f cpu-s/GB)", cpu[i]));
          }
        }
        System.out.println("round " + round + ": " + line);
      }
    } finally {
      for (ChunkDataClient c : clients) {
        c.close();
      }
      for (Server s : servers) {
        s.close();
      }
    }
  }

  /** MB/s of {@code streams} readers reading {@code reads} chunks of {@code size} in all. */
  private double measure(ChunkDataClient client, InetSocketAddress address, int size, int reads)
      throws Exception {
    int chunks = (int) (file.byteSize() / size);
    int perStream = Math.max(1, reads / streams);
    List<Thread> readers = new ArrayList<>();
    long start = System.nanoTime();
    for (int s = 0; s < streams; s++) {
      int first = s * perStream;
      readers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    ByteBuffer dst = ByteBuffer.allocateDirect(size);
                    for (int k = first; k < first + perStream; k++) {
                      int chunk = k % chunks;
                      byte[] id = ByteBuffer.allocate(5).put((byte) 1).putInt(chunk).array();
                      ChunkReadReply r =
                          client.read(
                              address, new ChunkReadRequest(1, 1, id, 0, size, ""), dst.clear());
                      if (r.length() != size) {
                        throw new IllegalStateException("short read " + r.length());
                      }
                    }
                  }));
    }
    for (Thread t : readers) {
      t.join();
    }
    return (double) perStream * streams * size / ((System.nanoTime() - start) / 1e9) / 1e6;
  }

  private int[] crcs(int size) {
    int[] out = new int[(int) (file.byteSize() / size)];
    CRC32C c = new CRC32C();
    for (int k = 0; k < out.length; k++) {
      c.reset();
      c.update(file.asSlice((long) k * size, size).asByteBuffer());
      out[k] = (int) c.getValue();
    }
    return out;
  }

  /** The daemon's send path over plain TCP or TLS, without the chain. */
  private final class Server implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final DataChannelTls ssl;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    Server(DataChannelTls tls) throws IOException {
      this.ssl = tls;
      this.listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
      Thread.ofPlatform().daemon().start(this::accept);
    }

    InetSocketAddress address() throws IOException {
      return (InetSocketAddress) listener.getLocalAddress();
    }

    private void accept() {
      while (listener.isOpen()) {
        try {
          SocketChannel ch = listener.accept();
          ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
          open.add(ch);
          Thread.ofPlatform().daemon().start(() -> serve(ch));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(SocketChannel ch) {
      try (ch) {
        ByteChannel io = ch;
        if (ssl != null) {
          TlsByteChannel t = TlsByteChannel.server(ch, ssl, ByteBuffer.allocate(0));
          t.handshake();
          suites.add(
              ssl.provider()
                  + " "
                  + t.session().getProtocol()
                  + " "
                  + t.session().getCipherSuite());
          io = t;
        }
        ChunkReadRequest r;
        while ((r = ChunkDataWire.readRequest(io)) != null) {
          ByteBuffer id = ByteBuffer.wrap(r.chunkId());
          id.get();
          int chunk = id.getInt();
          int size = r.length();
          int crc = size == SIZES[0] ? crcs4m[chunk] : crcs64k[chunk];
          ByteBuffer[] parts = {
            ChunkDataWire.encodeOk(1, size, crc, size),
            file.asSlice((long) chunk * size, size).asByteBuffer()
          };
          while (parts[0].hasRemaining() || parts[1].hasRemaining()) {
            ((GatheringByteChannel) io).write(parts);
          }
        }
      } catch (IOException e) {
        // connection closed
      } finally {
        open.remove(ch);
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (SocketChannel ch : open) {
        ch.close();
      }
    }
  }

  private static void writeFile(Path file, int mib) throws IOException {
    byte[] random = new byte[1 << 20];
    new Random(1).nextBytes(random);
    try (FileChannel fc =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int k = 0; k < mib; k++) {
        ByteBuffer b = ByteBuffer.wrap(random);
        while (b.hasRemaining()) {
          fc.write(b);
        }
      }
    }
  }
}
