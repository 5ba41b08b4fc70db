package io.catena.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * How a storage daemon can put a file's bytes on a loopback socket, with nothing else in the way:
 * the data channel's choice rests on it (docs/performance.md). A file of {@code --mib} is sent in 4
 * MiB replies, each asked for by a 4-byte request and checked with CRC32C by the reader, as the
 * data channel does, by {@code sendfile} ({@code FileChannel.transferTo}), by a write from a
 * read-only mapping of the whole file, and by {@code pread} into a direct buffer then a write; next
 * to raw loopback TCP (a stream of writes of one hot buffer) measured in the same round. With
 * {@code --cold}, the page cache is dropped before each path (needs root) and each path runs once.
 *
 * <p>Run: {@code java -cp ... io.catena.bench.SendPathBench [--mib 512] [--streams 1] [--rounds 3]
 * [--cold] [--dir DIR]}
 */
public final class SendPathBench {
  private static final int CHUNK = 4 * 1024 * 1024;

  /** One way of sending the reply for chunk {@code index}. */
  private interface SendPath {
    void send(SocketChannel out, int index) throws IOException;
  }

  private final Path file;
  private final int chunks;
  private final int streams;

  private SendPathBench(Path file, int mib, int streams) {
    this.file = file;
    this.chunks = Math.max(streams, mib / 4) / streams * streams;
    this.streams = streams;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "catena-send-path-bench");
    int mib = 512;
    int streams = 1;
    int rounds = 3;
    boolean cold = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--mib" -> mib = Integer.parseInt(args[++i]);
        case "--streams" -> streams = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--cold" -> cold = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Files.createDirectories(dir);
    Path file = dir.resolve("chunks.dat");
    try {
      new SendPathBench(file, mib, streams).run(rounds, cold);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private void run(int rounds, boolean cold) throws Exception {
    writeFile();
    System.out.printf(
        "4 MiB replies of a %d MiB file, %d stream(s), request/response, CRC32C on the reader%s%n",
        chunks * 4, streams, cold ? ", page cache dropped before each path" : "");
    try (FileChannel fc = FileChannel.open(file)) {
      for (int round = 1; round <= (cold ? 1 : rounds); round++) {
        double tcp = RawLoopback.tcpMegabytesPerSecond((long) chunks * CHUNK, CHUNK);
        StringBuilder line = new StringBuilder(String.format("raw TCP %5.0f MB/s", tcp));
        for (String name : List.of("sendfile", "mapped write", "pread+write")) {
          if (cold) {
            dropPageCache();
          }
          // a fresh mapping per path, so that a cold run starts with no page mapped
          try (Arena arena = Arena.ofShared()) {
            double mbs = measure(path(name, fc, arena));
            line.append(String.format(" | %s %5.0f MB/s (%.2f)", name, mbs, mbs / tcp));
          }
        }
        System.out.println("round " + round + ": " + line);
      }
    }
  }

  private SendPath path(String name, FileChannel fc, Arena arena) throws IOException {
    return switch (name) {
      case "sendfile" ->
          (out, k) -> {
            long pos = (long) k * CHUNK;
            long end = pos + CHUNK;
            while (pos < end) {
              pos += fc.transferTo(pos, end - pos, out);
            }
          };
      case "mapped write" -> {
        MemorySegment whole = fc.map(FileChannel.MapMode.READ_ONLY, 0, fc.size(), arena);
        yield (out, k) -> writeFully(out, whole.asSlice((long) k * CHUNK, CHUNK).asByteBuffer());
      }
      case "pread+write" -> {
        ThreadLocal<ByteBuffer> buffers =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));
        yield (out, k) -> {
          ByteBuffer b = buffers.get().clear();
          long pos = (long) k * CHUNK;
          while (b.hasRemaining()) {
            pos += fc.read(b, pos);
          }
          writeFully(out, b.flip());
        };
      }
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** MB/s of {@code streams} connections, each asking for its share of the chunks in turn. */
  private double measure(SendPath path) throws Exception {
    int perStream = chunks / streams;
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        threads.add(Thread.ofPlatform().start(() -> serve(server, path)));
      }
      long start = System.nanoTime();
      List<Thread> readers = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        int first = s * perStream;
        readers.add(
            Thread.ofPlatform()
                .start(() -> read(server.socket().getLocalSocketAddress(), first, perStream)));
      }
      for (Thread t : readers) {
        t.join();
      }
      double mbs = (double) chunks * CHUNK / ((System.nanoTime() - start) / 1e9) / 1e6;
      for (Thread t : threads) {
        t.join();
      }
      return mbs;
    }
  }

  private static void serve(ServerSocketChannel server, SendPath path) {
    try (SocketChannel c = server.accept()) {
      c.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ByteBuffer request = ByteBuffer.allocate(4);
      while (true) {
        request.clear();
        while (request.hasRemaining()) {
          if (c.read(request) < 0) {
            return;
          }
        }
        path.send(c, request.flip().getInt());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void read(java.net.SocketAddress address, int first, int count) {
    try (SocketChannel c = SocketChannel.open(address)) {
      c.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ByteBuffer dst = ByteBuffer.allocateDirect(CHUNK);
      CRC32C crc = new CRC32C();
      for (int k = first; k < first + count; k++) {
        writeFully(c, ByteBuffer.allocate(4).putInt(k).flip());
        dst.clear();
        while (dst.hasRemaining()) {
          if (c.read(dst) < 0) {
            throw new EOFException("reply " + k + " ended early");
          }
        }
        crc.reset();
        crc.update(dst.flip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeFully(SocketChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  private void writeFile() throws IOException {
    byte[] random = new byte[CHUNK];
    new Random(1).nextBytes(random);
    try (FileChannel fc =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int k = 0; k < chunks; k++) {
        ByteBuffer b = ByteBuffer.wrap(random);
        while (b.hasRemaining()) {
          fc.write(b);
        }
      }
      fc.force(false);
    }
  }

  private static void dropPageCache() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("sh", "-c", "sync && echo 1 > /proc/sys/vm/drop_caches")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("--cold needs root to drop the page cache: " + out);
    }
  }
}
