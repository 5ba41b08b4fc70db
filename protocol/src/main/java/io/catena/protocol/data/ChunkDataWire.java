package io.catena.protocol.data;

import io.catena.protocol.common.ErrorCode;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The data channel's frames (big-endian), shared by {@link ChunkDataClient} and the storage
 * daemon's server. One request at a time per connection; the connection is reused.
 *
 * <pre>
 * request:  int magic 'CDC1', byte op (1 = read), int chainId, long chainVersion, int offset,
 *           int length, byte idLength, id, short tokenLength, token (UTF-8)
 * response: int magic, int code (0 = ok, else catena.common.ErrorCode)
 *   ok:     long commitVersion, int chunkLength, int crc32c, int dataLength, then dataLength bytes
 *   error:  byte retryable, long currentVersion, short messageLength, message (UTF-8)
 * </pre>
 */
public final class ChunkDataWire {
  public static final int MAGIC = 0x43444331;
  public static final byte OP_READ = 1;
  static final int MAX_ID_BYTES = 64;
  static final int MAX_TOKEN_BYTES = 4096;
  static final int MAX_MESSAGE_BYTES = 4096;
  static final int REQUEST_FIXED = 4 + 1 + 4 + 8 + 4 + 4 + 1;
  static final int RESPONSE_PREFIX = 8;
  static final int OK_REST = 8 + 4 + 4 + 4;
  static final int ERROR_REST = 1 + 8 + 2;

  private ChunkDataWire() {}

  public static ByteBuffer encodeRequest(ChunkReadRequest r) {
    byte[] token = r.token().getBytes(StandardCharsets.UTF_8);
    if (token.length > MAX_TOKEN_BYTES) {
      throw new IllegalArgumentException("token longer than " + MAX_TOKEN_BYTES + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(REQUEST_FIXED + r.chunkId().length + 2 + token.length);
    b.putInt(MAGIC).put(OP_READ).putInt(r.chainId()).putLong(r.chainVersion());
    b.putInt(r.offset()).putInt(r.length()).put((byte) r.chunkId().length).put(r.chunkId());
    b.putShort((short) token.length).put(token);
    return b.flip();
  }

  /**
   * Reads one request; null when the peer closed the connection cleanly before it.
   *
   * @throws IOException on a broken or malformed frame (the connection must be closed)
   */
  public static ChunkReadRequest readRequest(ReadableByteChannel in) throws IOException {
    ByteBuffer fixed = ByteBuffer.allocate(REQUEST_FIXED);
    if (!fill(in, fixed, true)) {
      return null;
    }
    fixed.flip();
    if (fixed.getInt() != MAGIC || fixed.get() != OP_READ) {
      throw new IOException("not a data-channel read request");
    }
    int chainId = fixed.getInt();
    long chainVersion = fixed.getLong();
    int offset = fixed.getInt();
    int length = fixed.getInt();
    int idLength = fixed.get() & 0xFF;
    if (idLength < 1 || idLength > MAX_ID_BYTES) {
      throw new IOException("bad chunk id length " + idLength);
    }
    ByteBuffer id = ByteBuffer.allocate(idLength + 2);
    fill(in, id, false);
    id.flip();
    byte[] chunkId = new byte[idLength];
    id.get(chunkId);
    int tokenLength = id.getShort() & 0xFFFF;
    if (tokenLength > MAX_TOKEN_BYTES) {
      throw new IOException("token too long");
    }
    ByteBuffer token = ByteBuffer.allocate(tokenLength);
    fill(in, token, false);
    try {
      return new ChunkReadRequest(
          chainId,
          chainVersion,
          chunkId,
          offset,
          length,
          new String(token.array(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The header of a successful read; {@code dataLength} bytes of chunk data follow it. */
  public static ByteBuffer encodeOk(long commitVersion, int chunkLength, int crc32c, int length) {
    ByteBuffer b = ByteBuffer.allocate(RESPONSE_PREFIX + OK_REST);
    b.putInt(MAGIC).putInt(0).putLong(commitVersion).putInt(chunkLength).putInt(crc32c);
    return b.putInt(length).flip();
  }

  public static ByteBuffer encodeError(
      ErrorCode code, String message, boolean retryable, long currentVersion) {
    byte[] m = message == null ? new byte[0] : message.getBytes(StandardCharsets.UTF_8);
    int len = Math.min(m.length, MAX_MESSAGE_BYTES);
    ByteBuffer b = ByteBuffer.allocate(RESPONSE_PREFIX + ERROR_REST + len);
    b.putInt(MAGIC).putInt(code.getNumber()).put((byte) (retryable ? 1 : 0));
    return b.putLong(currentVersion).putShort((short) len).put(m, 0, len).flip();
  }

  /**
   * Reads until {@code b} is full. Returns false on end of stream before the first byte when {@code
   * eofOk}; throws {@link EOFException} on any other end of stream.
   */
  static boolean fill(ReadableByteChannel in, ByteBuffer b, boolean eofOk) throws IOException {
    boolean first = true;
    while (b.hasRemaining()) {
      int n = in.read(b);
      if (n < 0) {
        if (first && eofOk && b.position() == 0) {
          return false;
        }
        throw new EOFException("connection closed mid-frame");
      }
      first = false;
    }
    return true;
  }
}
