package io.catena.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The machine's own limit the benchmarks report their figures against, measured in the same run.
 */
final class RawLoopback {

  private RawLoopback() {}

  /**
   * Raw loopback TCP in MB/s: one stream of {@code bufferSize} direct-buffer writes to a reader
   * that discards them, {@code bytes} in all. The ceiling the storage reads are compared with.
   */
  static double tcpMegabytesPerSecond(long bytes, int bufferSize) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread reader =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try (SocketChannel in = server.accept()) {
                      ByteBuffer buf = ByteBuffer.allocateDirect(bufferSize);
                      long left = bytes;
                      while (left > 0) {
                        buf.clear();
                        int r = in.read(buf);
                        if (r < 0) {
                          break;
                        }
                        left -= r;
                      }
                    } catch (IOException ex) {
                      throw new IllegalStateException(ex);
                    }
                  });
      long start = System.nanoTime();
      try (SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
        ByteBuffer buf = ByteBuffer.allocateDirect(bufferSize);
        buf.put(new byte[bufferSize]);
        for (long sent = 0; sent < bytes; sent += bufferSize) {
          buf.clear();
          while (buf.hasRemaining()) {
            out.write(buf);
          }
        }
      }
      reader.join();
      return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
    }
  }
}
