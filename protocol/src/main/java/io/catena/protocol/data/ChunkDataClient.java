package io.catena.protocol.data;

import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.security.Loopback;
import io.catena.protocol.security.TransportSecurity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import javax.net.ssl.SSLException;

/**
 * Reads chunk bytes from storage daemons over their data channel (plain TCP beside gRPC) straight
 * into the caller's buffer: the daemon writes the committed slot from a mapping of its data file,
 * so a 4 MiB read costs one kernel copy on each side and no protobuf framing. gRPC stays the
 * control path (writes, routing, sync) and the fallback for reads.
 *
 * <p>Thread-safe. Connections are pooled per address (one request at a time on each). Every read is
 * bounded by {@code timeout}: a connection that stalls is closed and the read fails with a
 * retryable {@code UNAVAILABLE}. A read of the whole chunk is checked against the stored CRC32C
 * here, end to end ({@code CHECKSUM_MISMATCH}); range reads carry the chunk's CRC for a caller that
 * assembles the whole chunk.
 *
 * <p>Security: built with a {@link TransportSecurity.Tls}, every connection is TLS 1.3 ({@link
 * TlsByteChannel}): the daemon must show a certificate of the cluster CA that names the host or IP
 * address dialled (as given in the {@link InetSocketAddress}), and the client shows its own
 * certificate when it has one. A failed handshake is {@code UNAVAILABLE}, not retryable, with the
 * JDK's reason. Built with {@link TransportSecurity#plaintext()}, it dials loopback addresses only.
 * The tenant token in each request stays the authorisation, as over gRPC.
 *
 * <pre>{@code
 * try (ChunkDataClient data = new ChunkDataClient(Duration.ofSeconds(30))) {
 *   ByteBuffer dst = ByteBuffer.allocateDirect(4 << 20);
 *   ChunkReadReply r = data.read(daemonDataAddress,
 *       new ChunkReadRequest(chainId, chainVersion, chunkId, 0, 0, token), dst);
 *   // dst now holds r.length() more bytes of committed version r.commitVersion()
 * }
 * }</pre>
 */
public final class ChunkDataClient implements AutoCloseable {
  private static final int MAX_IDLE_PER_ADDRESS = 16;

  private final long timeoutNanos;
  private final Map<InetSocketAddress, Deque<Connection>> idle = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor watchdog;
  private final DataChannelTls tls; // null: plain text
  private final boolean loopbackOnly;
  private volatile boolean closed;

  /**
   * A plain-text client to any address, as before transport security existed. Use {@link
   * #ChunkDataClient(Duration, TransportSecurity)} with the process's {@link TransportSecurity}.
   */
  public ChunkDataClient(Duration timeout) {
    this(timeout, null, false);
  }

  /**
   * A client that reads with the process's transport security: TLS 1.3 with its identity and the
   * cluster CA for {@link TransportSecurity.Tls}, plain text to loopback addresses only for {@link
   * TransportSecurity#plaintext()}.
   */
  public ChunkDataClient(Duration timeout, TransportSecurity security) {
    this(
        timeout,
        security instanceof TransportSecurity.Tls t ? DataChannelTls.of(t) : null,
        !java.util.Objects.requireNonNull(security, "security").isTls());
  }

  /** A TLS client on engines of a given provider (benchmarks compare BoringSSL and the JDK's). */
  public ChunkDataClient(Duration timeout, DataChannelTls tls) {
    this(timeout, java.util.Objects.requireNonNull(tls, "tls"), false);
  }

  private ChunkDataClient(Duration timeout, DataChannelTls tls, boolean loopbackOnly) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.timeoutNanos = timeout.toNanos();
    this.tls = tls;
    this.loopbackOnly = loopbackOnly;
    this.watchdog =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().daemon().name("chunk-data-watchdog").unstarted(r));
    watchdog.setRemoveOnCancelPolicy(true);
  }

  /**
   * Reads committed bytes into {@code dst} (from its position; heap or direct). {@code dst} must
   * have room for the reply: the whole chunk, or {@code length} bytes.
   *
   * @throws ChunkDataException refused by the daemon, checksum mismatch, or connection failure
   */
  public ChunkReadReply read(InetSocketAddress address, ChunkReadRequest request, ByteBuffer dst) {
    if (closed) {
      throw new IllegalStateException("client closed");
    }
    if (loopbackOnly && !Loopback.is(address.getHostString())) {
      throw new ChunkDataException(
          ErrorCode.INVALID_ARGUMENT,
          "the plain-text data channel is for loopback only, not "
              + address
              + ": give the process its TLS files (--tls-dir) from the cluster CA",
          false,
          0,
          null);
    }
    Connection pooled = poll(address);
    if (pooled != null) {
      try {
        return readOn(pooled, address, request, dst, true);
      } catch (StaleConnection e) {
        // The daemon closed an idle connection; reads are idempotent, so try once on a fresh one.
      }
    }
    return readOn(open(address), address, request, dst, false);
  }

  private ChunkReadReply readOn(
      Connection conn,
      InetSocketAddress address,
      ChunkReadRequest request,
      ByteBuffer dst,
      boolean reused) {
    java.util.concurrent.atomic.AtomicBoolean fired =
        new java.util.concurrent.atomic.AtomicBoolean();
    ScheduledFuture<?> alarm =
        watchdog.schedule(
            () -> {
              fired.set(true);
              closeQuietly(conn);
            },
            timeoutNanos,
            NANOS);
    boolean started = false;
    int startPosition = dst.position();
    int startLimit = dst.limit();
    ByteChannel ch = conn.io;
    try {
      if (conn.tls != null && !reused) {
        try {
          conn.tls.handshake();
        } catch (IOException e) {
          if (fired.get()) {
            throw e; // timed out: reported as such below
          }
          alarm.cancel(false);
          closeQuietly(conn);
          // A certificate the client does not trust, or one that does not name the address, will
          // not change on a retry; a connection reset might.
          throw new ChunkDataException(
              ErrorCode.UNAVAILABLE,
              "TLS handshake with the data channel at " + address + " failed: " + e.getMessage(),
              !(e instanceof SSLException),
              0,
              e);
        }
      }
      ByteBuffer req = ChunkDataWire.encodeRequest(request);
      while (req.hasRemaining()) {
        ch.write(req);
      }
      ByteBuffer head = ByteBuffer.allocate(ChunkDataWire.RESPONSE_PREFIX + ChunkDataWire.OK_REST);
      head.limit(ChunkDataWire.RESPONSE_PREFIX);
      if (!ChunkDataWire.fill(ch, head, true)) {
        throw new java.io.EOFException("connection closed before the response");
      }
      started = true;
      head.flip();
      if (head.getInt() != ChunkDataWire.MAGIC) {
        throw new IOException("not a data-channel response");
      }
      int code = head.getInt();
      if (code != 0) {
        ChunkDataException refused = readError(ch, code);
        finish(alarm, fired, conn, address);
        throw refused;
      }
      head.clear().limit(ChunkDataWire.OK_REST);
      ChunkDataWire.fill(ch, head, false);
      head.flip();
      long commitVersion = head.getLong();
      int chunkLength = head.getInt();
      int crc = head.getInt();
      int length = head.getInt();
      if (length < 0 || length > dst.remaining()) {
        alarm.cancel(false);
        closeQuietly(conn);
        throw new ChunkDataException(
            ErrorCode.INVALID_ARGUMENT,
            "reply of " + length + " bytes does not fit the buffer (" + dst.remaining() + " left)",
            false,
            0,
            null);
      }
      dst.limit(startPosition + length);
      ChunkDataWire.fill(ch, dst, false);
      dst.limit(startLimit);
      finish(alarm, fired, conn, address);
      if (request.offset() == 0 && length == chunkLength) {
        CRC32C c = new CRC32C();
        c.update(dst.duplicate().position(startPosition).limit(startPosition + length));
        if ((int) c.getValue() != crc) {
          dst.position(startPosition);
          throw new ChunkDataException(
              ErrorCode.CHECKSUM_MISMATCH,
              "chunk data of version " + commitVersion + " from " + address + " fails its CRC32C",
              false,
              0,
              null);
        }
      }
      return new ChunkReadReply(commitVersion, chunkLength, crc, length);
    } catch (IOException e) {
      alarm.cancel(false);
      closeQuietly(conn);
      dst.limit(startLimit).position(startPosition);
      boolean timedOut = fired.get();
      if (reused && !started && !timedOut) {
        throw new StaleConnection();
      }
      throw new ChunkDataException(
          ErrorCode.UNAVAILABLE,
          timedOut
              ? "read from " + address + " timed out after " + timeoutNanos / 1_000_000 + " ms"
              : "read from " + address + " failed: " + e,
          true,
          0,
          e);
    }
  }

  private static ChunkDataException readError(ByteChannel ch, int code) throws IOException {
    ByteBuffer rest = ByteBuffer.allocate(ChunkDataWire.ERROR_REST);
    ChunkDataWire.fill(ch, rest, false);
    rest.flip();
    boolean retryable = rest.get() != 0;
    long currentVersion = rest.getLong();
    int len = rest.getShort() & 0xFFFF;
    ByteBuffer msg = ByteBuffer.allocate(len);
    ChunkDataWire.fill(ch, msg, false);
    ErrorCode ec = ErrorCode.forNumber(code);
    return new ChunkDataException(
        ec == null ? ErrorCode.INTERNAL : ec,
        new String(msg.array(), StandardCharsets.UTF_8),
        retryable,
        currentVersion,
        null);
  }

  /** Stops the watchdog and pools the connection, unless the watchdog already closed it. */
  private void finish(
      ScheduledFuture<?> alarm,
      java.util.concurrent.atomic.AtomicBoolean fired,
      Connection conn,
      InetSocketAddress address)
      throws IOException {
    alarm.cancel(false);
    if (fired.get() || !conn.socket.isOpen()) {
      throw new IOException("timed out");
    }
    Deque<Connection> q = idle.computeIfAbsent(address, a -> new ConcurrentLinkedDeque<>());
    if (closed || q.size() >= MAX_IDLE_PER_ADDRESS) {
      closeQuietly(conn);
    } else {
      q.push(conn);
    }
  }

  private Connection poll(InetSocketAddress address) {
    Deque<Connection> q = idle.get(address);
    return q == null ? null : q.poll();
  }

  private Connection open(InetSocketAddress address) {
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open();
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.socket().connect(address, (int) Math.max(1, Math.min(timeoutNanos / 1_000_000, 60_000)));
      if (tls == null) {
        return new Connection(ch, ch, null);
      }
      TlsByteChannel t = TlsByteChannel.client(ch, tls, address.getHostString(), address.getPort());
      return new Connection(ch, t, t);
    } catch (IOException e) {
      if (ch != null) {
        closeQuietly(ch);
      }
      throw new ChunkDataException(
          ErrorCode.UNAVAILABLE, "cannot connect to " + address + ": " + e, true, 0, e);
    }
  }

  /** Closes the connection: its socket, and its TLS engine if it has one. */
  private static void closeQuietly(Connection c) {
    try {
      c.io().close();
    } catch (IOException | RuntimeException e) {
      // already broken; nothing more to release
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // already broken; nothing more to release
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Deque<Connection> q : idle.values()) {
      Connection c;
      while ((c = q.poll()) != null) {
        closeQuietly(c);
      }
    }
    watchdog.shutdownNow();
  }

  private static final TimeUnit NANOS = TimeUnit.NANOSECONDS;

  /** A pooled connection: the socket, and what reads and writes it (itself, or TLS over it). */
  private record Connection(SocketChannel socket, ByteChannel io, TlsByteChannel tls) {}

  private static final class StaleConnection extends RuntimeException {
    StaleConnection() {
      super(null, null, false, false);
    }
  }
}
