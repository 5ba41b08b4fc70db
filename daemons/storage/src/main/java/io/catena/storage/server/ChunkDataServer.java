package io.catena.storage.server;

import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.data.ChunkDataWire;
import io.catena.protocol.data.ChunkReadRequest;
import io.catena.protocol.data.DataChannelTls;
import io.catena.protocol.data.TlsByteChannel;
import io.catena.protocol.security.Loopback;
import io.catena.protocol.security.TransportSecurity;
import io.catena.storage.chain.ChainReplicator;
import io.catena.storage.chain.ReadCommand;
import io.catena.storage.chunk.ChunkId;
import io.catena.storage.chunk.PinnedChunk;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
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
 *
 * <p>With {@link TransportSecurity.Tls} every connection is TLS 1.3 ({@link TlsByteChannel}, the
 * daemon's certificate; a client certificate is asked for, not required, since each request carries
 * its tenant token) and nothing else is accepted: a plain-text request is answered, in plain text,
 * with {@code PERMISSION_DENIED} naming the reason, then the connection is closed; anything else
 * that is not a TLS handshake is dropped. The handshake is bounded by {@link #HANDSHAKE_TIMEOUT}.
 * The reply is then encrypted in 16 KiB records straight from the mapping (no zero-copy;
 * docs/performance.md has the cost). With {@link TransportSecurity#plaintext()} it listens on
 * loopback only.
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

  /**
   * How long a client may take to finish the TLS handshake (or send its first bytes); the request
   * timeout when that is shorter.
   */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final ChainReplicator replicator;
  private final DataChannelTls tls; // null: plain text
  private final ServerSocketChannel listener;
  private final long requestTimeoutNanos;
  private final ScheduledThreadPoolExecutor watchdog;
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private final java.util.concurrent.atomic.AtomicLong readsServed =
      new java.util.concurrent.atomic.AtomicLong();
  private final int port;

  /** Plain text on any address, as before transport security existed (callers not yet wired). */
  ChunkDataServer(ChainReplicator replicator, String host, int port, Duration requestTimeout)
      throws IOException {
    this(replicator, host, port, requestTimeout, null);
  }

  /**
   * The data channel with the daemon's transport security: TLS only for {@link
   * TransportSecurity.Tls}; plain text, on a loopback {@code host} only, for {@link
   * TransportSecurity#plaintext()}.
   */
  ChunkDataServer(
      ChainReplicator replicator,
      String host,
      int port,
      Duration requestTimeout,
      TransportSecurity security)
      throws IOException {
    if (security != null && !security.isTls() && !Loopback.is(host)) {
      throw new IllegalArgumentException(
          "a plain-text data channel is allowed on loopback only, not on "
              + host
              + ": give the node's TLS files (--tls-dir) from the cluster CA");
    }
    if (security instanceof TransportSecurity.Tls t && t.files().certificate() == null) {
      throw new IllegalArgumentException(
          "a TLS data channel needs the node's certificate, not only the CA's");
    }
    this.tls = security instanceof TransportSecurity.Tls t ? DataChannelTls.of(t) : null;
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

  /** Whether connections are TLS. */
  boolean isTls() {
    return tls != null;
  }

  /** Where its TLS comes from (BoringSSL or the JDK); null for plain text. */
  DataChannelTls.Provider tlsProvider() {
    return tls == null ? null : tls.provider();
  }

  /** Serves requests until the peer closes. */
  private void serve(SocketChannel ch) {
    ByteChannel io = null;
    try (ch) {
      io = tls == null ? ch : secure(ch);
      if (io == null) {
        return;
      }
      ChunkReadRequest request;
      while ((request = ChunkDataWire.readRequest(io)) != null) {
        ScheduledFuture<?> alarm =
            watchdog.schedule(() -> closeQuietly(ch), requestTimeoutNanos, TimeUnit.NANOSECONDS);
        try {
          answer((GatheringByteChannel) io, request);
        } finally {
          alarm.cancel(false);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("data channel connection closed: {}", e.toString());
    } finally {
      connections.remove(ch);
      if (io instanceof TlsByteChannel t) {
        closeQuietly(t); // releases the engine
      }
    }
  }

  /**
   * The TLS channel over {@code ch} once its handshake is done, or null when the client spoke plain
   * text (it was told why). Bounded by {@link #HANDSHAKE_TIMEOUT}.
   */
  private TlsByteChannel secure(SocketChannel ch) throws IOException {
    ScheduledFuture<?> alarm =
        watchdog.schedule(
            () -> closeQuietly(ch),
            Math.min(HANDSHAKE_TIMEOUT.toNanos(), requestTimeoutNanos),
            TimeUnit.NANOSECONDS);
    try {
      ByteBuffer first = ByteBuffer.allocate(4);
      while (first.hasRemaining()) {
        if (ch.read(first) < 0) {
          return null;
        }
      }
      first.flip();
      if (first.getInt(0) == ChunkDataWire.MAGIC) {
        // Read the whole request first: closing with unread bytes would reset the connection
        // and could lose the answer.
        ChunkDataWire.readRequest(prefixed(first, ch));
        writeFully(
            ch,
            ChunkDataWire.encodeError(
                ErrorCode.PERMISSION_DENIED,
                "this data channel accepts TLS only: the client must read with the cluster's"
                    + " TLS settings",
                false,
                0));
        return null;
      }
      TlsByteChannel t = TlsByteChannel.server(ch, tls, first);
      try {
        t.handshake();
      } catch (IOException | RuntimeException e) {
        closeQuietly(t);
        throw e;
      }
      return t;
    } finally {
      alarm.cancel(false);
    }
  }

  /** {@code head}'s remaining bytes, then {@code ch}'s. */
  private static java.nio.channels.ReadableByteChannel prefixed(ByteBuffer head, SocketChannel ch) {
    return new java.nio.channels.ReadableByteChannel() {
      @Override
      public int read(ByteBuffer dst) throws IOException {
        if (!head.hasRemaining()) {
          return ch.read(dst);
        }
        int n = Math.min(head.remaining(), dst.remaining());
        dst.put(head.slice(head.position(), n));
        head.position(head.position() + n);
        return n;
      }

      @Override
      public boolean isOpen() {
        return ch.isOpen();
      }

      @Override
      public void close() throws IOException {
        ch.close();
      }
    };
  }

  /**
   * Answers one read: the reply's head and the committed bytes in one gathering write. The slot is
   * pinned only while they are written, since the kernel copies them into the socket.
   */
  private void answer(GatheringByteChannel ch, ChunkReadRequest r) throws IOException {
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

  private static void sendError(java.nio.channels.WritableByteChannel ch, RuntimeException e)
      throws IOException {
    ErrorDetail d = WireMapping.error(e);
    writeFully(
        ch,
        ChunkDataWire.encodeError(
            d.getCode(), d.getMessage(), d.getRetryable(), d.getCurrentVersion()));
  }

  private static void writeFully(java.nio.channels.WritableByteChannel ch, ByteBuffer b)
      throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static void closeQuietly(java.nio.channels.Channel ch) {
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
