package io.catena.storage.server;

import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.data.ChunkDataWire;
import io.catena.protocol.data.ChunkReadRequest;
import io.catena.storage.chain.ChainReplicator;
import io.catena.storage.chain.ReadCommand;
import io.catena.storage.chunk.ChunkId;
import io.catena.storage.chunk.PinnedChunk;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's data channel: plain TCP beside gRPC that answers chunk reads with the committed
 * slot, written to the socket from a read-only mapping of its data file ({@link
 * PinnedChunk#writeTo}), after the same checks as the gRPC read (token, chain version, SERVING and
 * UPTODATE). One platform thread per connection (see {@link #CONNECTION_THREADS}); a request that
 * takes longer than {@code requestTimeout} (a client that stopped reading) has its connection
 * closed, which also releases the slot's pin. Wire format: {@link ChunkDataWire}.
 */
final class ChunkDataServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChunkDataServer.class);

  /**
   * Connections are served on platform threads, not virtual ones: a 4 MiB reply fills the socket
   * buffer many times, and on a virtual thread every partial transfer parks and is woken through
   * the JDK's poller (the client's reads had the same cost: docs/performance.md). Connections are
   * few (pooled by each client, one request at a time), so threads are cheap.
   */
  private static final java.util.concurrent.ThreadFactory CONNECTION_THREADS =
      Thread.ofPlatform().daemon().name("chunk-data-conn-", 0).factory();

  private final ChainReplicator replicator;
  private final ServerSocketChannel listener;
  private final long requestTimeoutNanos;
  private final ScheduledThreadPoolExecutor watchdog;
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final java.util.concurrent.atomic.AtomicLong readsServed =
      new java.util.concurrent.atomic.AtomicLong();
  private final int port;

  ChunkDataServer(ChainReplicator replicator, String host, int port, Duration requestTimeout)
      throws IOException {
    this.replicator = replicator;
    this.requestTimeoutNanos = requestTimeout.toNanos();
    this.listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress(host, port));
    this.watchdog =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("chunk-data-server-watchdog").unstarted(r));
    watchdog.setRemoveOnCancelPolicy(true);
    this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
    this.acceptor = Thread.ofVirtual().name("chunk-data-accept").start(this::acceptLoop);
  }

  /** The port it listens (or listened, once closed) on. */
  int port() {
    return port;
  }

  boolean isOpen() {
    return listener.isOpen();
  }

  /** Reads answered with data since start. */
  long readsServed() {
    return readsServed.get();
  }

  private void acceptLoop() {
    while (listener.isOpen()) {
      try {
        SocketChannel ch = listener.accept();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        connections.add(ch);
        CONNECTION_THREADS.newThread(() -> serve(ch)).start();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("data channel accept failed", e);
      }
    }
  }

  /** Serves requests until the peer closes. */
  private void serve(SocketChannel ch) {
    try (ch) {
      ChunkReadRequest request;
      while ((request = ChunkDataWire.readRequest(ch)) != null) {
        ScheduledFuture<?> alarm =
            watchdog.schedule(() -> closeQuietly(ch), requestTimeoutNanos, TimeUnit.NANOSECONDS);
        try {
          answer(ch, request);
        } finally {
          alarm.cancel(false);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("data channel connection closed: {}", e.toString());
    } finally {
      connections.remove(ch);
    }
  }

  /**
   * Answers one read: the reply's head and the committed bytes in one gathering write. The slot is
   * pinned only while they are written, since the kernel copies them into the socket.
   */
  private void answer(SocketChannel ch, ChunkReadRequest r) throws IOException {
    long start = System.nanoTime();
    PinnedChunk pinned;
    try {
      pinned =
          replicator.pinForRead(
              new ReadCommand(
                  r.chainId(),
                  r.chainVersion(),
                  ChunkId.of(r.chunkId()),
                  r.offset(),
                  r.length(),
                  r.token()));
    } catch (RuntimeException e) {
      sendError(ch, e);
      return;
    }
    try (pinned) {
      pinned.writeTo(
          ch,
          ChunkDataWire.encodeOk(
              pinned.commitVersion(), pinned.chunkLength(), pinned.crc32c(), pinned.length()));
    }
    replicator.readServed(r.chainId(), pinned.length(), System.nanoTime() - start);
    readsServed.incrementAndGet();
  }

  private static void sendError(SocketChannel ch, RuntimeException e) throws IOException {
    ErrorDetail d = WireMapping.error(e);
    writeFully(
        ch,
        ChunkDataWire.encodeError(
            d.getCode(), d.getMessage(), d.getRetryable(), d.getCurrentVersion()));
  }

  private static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // closing a broken connection; nothing more to release
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      log.debug("closing data channel listener", e);
    }
    for (SocketChannel ch : connections) {
      closeQuietly(ch);
    }
    watchdog.shutdownNow(); // alarms of connections closed above
    try {
      acceptor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
