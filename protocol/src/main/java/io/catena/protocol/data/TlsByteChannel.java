package io.catena.protocol.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * TLS 1.3 over a blocking {@link SocketChannel} with an {@link SSLEngine} from {@link
 * DataChannelTls} (BoringSSL or the JDK's): the data channel's encrypted form, used by {@link
 * ChunkDataClient} and the storage daemon's data server. One thread at a time reads and one writes
 * (the data channel is request/response); closing the socket from another thread (a watchdog) ends
 * a blocked read or write.
 *
 * <p>Written for bulk transfer: a {@link #write(ByteBuffer[])} wraps the sources (the reply head
 * and the mapped chunk bytes) into full 16 KiB records, {@value #RECORDS_PER_FLUSH} of them per
 * socket write; a {@link #read} into a buffer with room for a whole record decrypts straight into
 * it (the engine decrypts from the packet buffer into {@code dst}; the JDK's decrypts in place and
 * copies once), and only a record that does not fit (the reply head, the last partial record) goes
 * through the channel's own plaintext buffer. All buffers are allocated once per connection and
 * reused.
 *
 * <p>No {@code close_notify} is sent on close: the data channel's frames carry their own lengths,
 * so a truncation is always detected by the reader, and a close never blocks on a peer that stopped
 * reading.
 */
public final class TlsByteChannel implements ByteChannel, GatheringByteChannel {

  /** TLS 1.3 records batched into one socket write (about 256 KiB of ciphertext). */
  static final int RECORDS_PER_FLUSH = 16;

  /**
   * Cipher suites in the order the data channel prefers them: AES-128-GCM first (the JDK's AES and
   * GHASH intrinsics make it the cheapest on x86-64 and aarch64; AES-256 costs 40% more rounds),
   * ChaCha20-Poly1305 last, for peers without AES instructions.
   */
  static final List<String> CIPHER_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SocketChannel socket;
  private final SSLEngine engine;
  private final int appBufferSize;
  private final int packetBufferSize;
  private ByteBuffer netIn; // ciphertext read, not yet unwrapped (read mode)
  private final ByteBuffer netOut; // ciphertext being written (cleared per use)
  private ByteBuffer appIn; // plaintext unwrapped, not yet read (read mode)
  private final boolean direct;
  private boolean handshaken;
  private boolean inputClosed;

  private TlsByteChannel(
      SocketChannel socket, SSLEngine engine, boolean direct, ByteBuffer alreadyRead) {
    this.socket = socket;
    this.direct = direct;
    this.engine = engine;
    SSLSession s = engine.getSession();
    int packet = s.getPacketBufferSize();
    // Room for any one record's plaintext: the JDK counts a record's padding and tag against the
    // destination, BoringSSL its whole length, so a record of 16 KiB of data needs a little more.
    this.appBufferSize = Math.max(s.getApplicationBufferSize(), packet);
    this.packetBufferSize = packet;
    this.netIn = allocate(Math.max(packet * RECORDS_PER_FLUSH, alreadyRead.remaining()));
    netIn.put(alreadyRead).flip();
    this.netOut = allocate(packet * RECORDS_PER_FLUSH);
    this.appIn = ByteBuffer.allocate(appBufferSize).flip();
  }

  private ByteBuffer allocate(int n) {
    return direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
  }

  /**
   * The client side on a connected {@code socket}: the server must show a certificate of the
   * cluster CA naming {@code host} (a DNS name or an IP literal, as dialled).
   */
  public static TlsByteChannel client(
      SocketChannel socket, DataChannelTls tls, String host, int port) throws SSLException {
    return new TlsByteChannel(
        socket, tls.clientEngine(host, port), tls.directBuffers(), ByteBuffer.allocate(0));
  }

  /**
   * The server side on an accepted {@code socket}; {@code alreadyRead} holds the bytes the server
   * read before deciding it was TLS. A client certificate is asked for but not required (clients of
   * the data channel authenticate each request with their tenant token).
   */
  public static TlsByteChannel server(
      SocketChannel socket, DataChannelTls tls, ByteBuffer alreadyRead) throws SSLException {
    return new TlsByteChannel(socket, tls.serverEngine(), tls.directBuffers(), alreadyRead);
  }

  /** The underlying socket (closing it ends the connection, from any thread). */
  public SocketChannel socket() {
    return socket;
  }

  /** The session once {@link #handshake} has returned: cipher suite, peer certificates. */
  public SSLSession session() {
    return engine.getSession();
  }

  /** Runs the handshake (once; later calls return at once). Blocking; bound it with a watchdog. */
  public void handshake() throws IOException {
    if (handshaken) {
      return;
    }
    try {
      engine.beginHandshake();
      HandshakeStatus hs = engine.getHandshakeStatus();
      while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
        switch (hs) {
          case NEED_TASK -> hs = runTasks();
          case NEED_WRAP -> hs = wrapAndFlush(EMPTY_SOURCES);
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            SSLEngineResult r = unwrapInto(appIn);
            if (r == null) {
              throw new SSLHandshakeException(
                  "the peer closed the connection during the TLS handshake (is its end plain"
                      + " text?)");
            }
            hs = r.getHandshakeStatus();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
              throw new SSLHandshakeException("the peer closed TLS during the handshake");
            }
          }
          default -> throw new SSLHandshakeException("unexpected handshake state " + hs);
        }
      }
      handshaken = true;
    } catch (SSLException e) {
      sendAlert();
      throw e;
    }
  }

  private static final ByteBuffer[] EMPTY_SOURCES = {EMPTY};

  /**
   * Unwraps one or more records into {@code into} (write mode, then back to what it was); reads the
   * socket when a whole record is not there yet. Returns null on end of stream before a record.
   */
  private SSLEngineResult unwrapInto(ByteBuffer app) throws IOException {
    boolean isAppIn = app == appIn;
    while (true) {
      if (isAppIn) {
        appIn.compact();
      }
      SSLEngineResult r;
      try {
        r = engine.unwrap(netIn, app);
      } finally {
        if (isAppIn) {
          appIn.flip();
        }
      }
      switch (r.getStatus()) {
        case BUFFER_UNDERFLOW -> {
          if (readSocket() < 0) {
            return null;
          }
        }
        case BUFFER_OVERFLOW -> {
          if (!isAppIn) {
            return r; // the caller falls back to appIn
          }
          // appIn holds unread plaintext and no record fits beside it: grow it (rare)
          if (appIn.capacity() - appIn.remaining() >= 2 * appBufferSize) {
            throw new SSLException("a TLS record larger than " + appBufferSize + " bytes");
          }
          ByteBuffer bigger = ByteBuffer.allocate(appIn.remaining() + 2 * appBufferSize);
          bigger.put(appIn).flip();
          appIn = bigger;
        }
        default -> {
          return r;
        }
      }
    }
  }

  /** Reads ciphertext from the socket into {@code netIn}; -1 at end of stream. */
  private int readSocket() throws IOException {
    netIn.compact();
    try {
      if (!netIn.hasRemaining()) {
        ByteBuffer bigger = allocate(netIn.capacity() * 2);
        netIn.flip();
        bigger.put(netIn);
        netIn = bigger;
      }
      return socket.read(netIn);
    } finally {
      netIn.flip();
    }
  }

  private HandshakeStatus runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
    return engine.getHandshakeStatus();
  }

  /** Wraps all of {@code srcs} (or one handshake flight) into records and writes them. */
  private HandshakeStatus wrapAndFlush(ByteBuffer[] srcs) throws IOException {
    HandshakeStatus hs;
    do {
      netOut.clear();
      SSLEngineResult r;
      do {
        r = engine.wrap(srcs, netOut);
        hs = r.getHandshakeStatus();
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          flush();
          throw new SSLException("TLS is closed on this connection");
        }
        if (hs == HandshakeStatus.NEED_TASK) {
          hs = runTasks();
        }
      } while (r.getStatus() == SSLEngineResult.Status.OK
          && (hasRemaining(srcs) || hs == HandshakeStatus.NEED_WRAP)
          && netOut.remaining() >= packetBufferSize);
      flush();
    } while (hasRemaining(srcs));
    return hs;
  }

  private void flush() throws IOException {
    netOut.flip();
    while (netOut.hasRemaining()) {
      socket.write(netOut);
    }
    netOut.clear();
  }

  /** Best effort: tells the peer why the handshake failed instead of just closing. */
  private void sendAlert() {
    try {
      engine.closeOutbound();
      netOut.clear();
      engine.wrap(EMPTY, netOut);
      flush();
    } catch (IOException | RuntimeException e) {
      // the connection is being dropped anyway
    }
  }

  private static boolean hasRemaining(ByteBuffer[] srcs) {
    for (ByteBuffer b : srcs) {
      if (b.hasRemaining()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads decrypted bytes into {@code dst}; blocks until at least one byte is there. Returns -1 at
   * end of stream (a closed socket or the peer's close_notify).
   */
  @Override
  public int read(ByteBuffer dst) throws IOException {
    handshake();
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (appIn.hasRemaining()) {
      return copy(appIn, dst);
    }
    if (inputClosed) {
      return -1;
    }
    int total = 0;
    while (true) {
      // Decrypt straight into dst while a whole record fits; else through appIn.
      ByteBuffer target = dst.remaining() >= appBufferSize ? dst : appIn;
      if (total > 0 && (target == appIn || !hasWholeRecord())) {
        return total; // do not block for more once something was read
      }
      SSLEngineResult r = unwrapInto(target);
      if (r == null) {
        inputClosed = true;
        return total > 0 ? total : -1;
      }
      postHandshake(r.getHandshakeStatus());
      if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
        inputClosed = true;
        return total > 0 ? total : -1;
      }
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        // dst had room for a full record by the session's measure but not for this one
        r = unwrapInto(appIn);
        if (r == null) {
          inputClosed = true;
          return total > 0 ? total : -1;
        }
        postHandshake(r.getHandshakeStatus());
        target = appIn;
      }
      if (target == appIn) {
        if (appIn.hasRemaining()) {
          return total + copy(appIn, dst);
        }
      } else {
        total += r.bytesProduced();
      }
    }
  }

  /** True when {@code netIn} holds at least one whole TLS record. */
  private boolean hasWholeRecord() {
    if (netIn.remaining() < 5) {
      return false;
    }
    int p = netIn.position();
    int len = ((netIn.get(p + 3) & 0xFF) << 8) | (netIn.get(p + 4) & 0xFF);
    return netIn.remaining() >= 5 + len;
  }

  /** Answers what TLS 1.3 may ask after the handshake (a key update) and runs delegated tasks. */
  private void postHandshake(HandshakeStatus hs) throws IOException {
    while (true) {
      switch (hs) {
        case NEED_TASK -> hs = runTasks();
        case NEED_WRAP -> hs = wrapAndFlush(EMPTY_SOURCES);
        default -> {
          return;
        }
      }
    }
  }

  private static int copy(ByteBuffer from, ByteBuffer to) {
    int n = Math.min(from.remaining(), to.remaining());
    int limit = from.limit();
    from.limit(from.position() + n);
    to.put(from);
    from.limit(limit);
    return n;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return (int) write(new ByteBuffer[] {src}, 0, 1);
  }

  @Override
  public long write(ByteBuffer[] srcs) throws IOException {
    return write(srcs, 0, srcs.length);
  }

  /** Encrypts and writes all of the sources (blocking) in full records. */
  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    handshake();
    ByteBuffer[] parts =
        offset == 0 && length == srcs.length
            ? srcs
            : java.util.Arrays.copyOfRange(srcs, offset, offset + length);
    long before = 0;
    for (ByteBuffer b : parts) {
      before += b.remaining();
    }
    postHandshake(wrapAndFlush(parts));
    return before;
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  /**
   * Closes the socket (no close_notify: see the class comment) and releases the engine (BoringSSL's
   * native state at once rather than at garbage collection). Safe from another thread while one
   * reads: the engines serialise their calls, and the reader then sees the end of the stream.
   */
  @Override
  public void close() throws IOException {
    try {
      socket.close();
    } finally {
      engine.closeOutbound();
      try {
        engine.closeInbound();
      } catch (SSLException e) {
        // no close_notify from the peer: expected, the frames carry their own lengths
      }
    }
  }
}
