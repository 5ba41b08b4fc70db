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
 * The daemon's data channel: plain TCP beside gRPC that answers chunk reads with the committed slot
 * sent by {@code sendfile} ({@code FileChannel.transferTo}), after the same checks as the gRPC read
 * (token, chain version, SERVING and UPTODATE). One platform thread per connection (see {@link
 * #CONNECTION_THREADS}); a request that takes longer than {@code requestTimeout} (a client that
 * stopped reading) has its connection closed, which also releases the slot's pin. Wire format:
 * {@link ChunkDataWire}.
 */
final class ChunkDataServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChunkDataServer.class);

  /**
   * Connections are served on platform threads, not virtual ones: a 4 MiB sendfile fills the socket
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

  /**
   * Serves requests until the peer closes. The pin of a reply is released only when the next
   * request (or the peer's close) arrives: the client sends it after it has read every byte, and
   * until then the bytes queued by sendfile still reference the slot's pages. A connection that
   * ends abnormally releases its pin only after a grace period.
   */
  private void serve(SocketChannel ch) {
    PinnedChunk held = null;
    try (ch) {
      while (true) {
        ChunkReadRequest request = ChunkDataWire.readRequest(ch);
        if (held != null) {
          held.close();
          held = null;
        }
        if (request == null) {
          return;
        }
        ScheduledFuture<?> alarm =
            watchdog.schedule(() -> closeQuietly(ch), requestTimeoutNanos, TimeUnit.NANOSECONDS);
        try {
          held = answer(ch, request);
        } finally {
          alarm.cancel(false);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("data channel connection closed: {}", e.toString());
    } finally {
      connections.remove(ch);
      if (held != null) {
        PinnedChunk late = held;
        try {
          watchdog.schedule(late::close, requestTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          late.close(); // shutting down: the engine closes too
        }
      }
    }
  }

  /** Answers one read; returns the pin to hold until the client has read the reply, or null. */
  private PinnedChunk answer(SocketChannel ch, ChunkReadRequest r) throws IOException {
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
      return null;
    }
    try {
      writeFully(
          ch,
          ChunkDataWire.encodeOk(
              pinned.commitVersion(), pinned.chunkLength(), pinned.crc32c(), pinned.length()));
      pinned.transferTo(ch);
    } catch (IOException | RuntimeException e) {
      // the bytes may still be queued: release after the grace period, not now
      watchdog.schedule(pinned::close, requestTimeoutNanos, TimeUnit.NANOSECONDS);
      throw e;
    }
    replicator.readServed(r.chainId(), pinned.length(), System.nanoTime() - start);
    readsServed.incrementAndGet();
    return pinned;
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
    // Pending tasks are pin releases and alarms of closed connections: run them now, so that a
    // daemon that goes on serving over gRPC does not keep slots pinned for ever.
    for (Runnable pending : watchdog.shutdownNow()) {
      pending.run();
    }
    try {
      acceptor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
