package io.catena.client.storage;

import com.google.protobuf.ByteString;
import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.storage.BatchReadResponse;
import io.catena.protocol.storage.ReadResponse;
import io.grpc.HasByteBuffer;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Parses one BatchRead response straight into the caller's buffers: the {@code data} of result
 * {@code i} is copied from gRPC's receive buffers into {@code destinations.get(i)} (through {@link
 * HasByteBuffer} when the transport offers it, which netty does), and the parsed message carries no
 * data. That is the one copy gRPC forces; no intermediate array or ByteString holds the payload.
 * {@link #placed} says how many bytes each result put. Made per call, used once.
 */
final class DirectReadMarshaller implements MethodDescriptor.Marshaller<BatchReadResponse> {

  private static final int BOUNCE = 64 * 1024;

  /** Payload bytes copied straight from gRPC's buffers, and through the bounce array (tests). */
  static final java.util.concurrent.atomic.LongAdder FROM_TRANSPORT =
      new java.util.concurrent.atomic.LongAdder();

  static final java.util.concurrent.atomic.LongAdder BOUNCED =
      new java.util.concurrent.atomic.LongAdder();

  private final List<ByteBuffer> destinations;
  private final int[] placed;

  DirectReadMarshaller(List<ByteBuffer> destinations) {
    this.destinations = destinations;
    this.placed = new int[destinations.size()];
  }

  /** Bytes placed into destination {@code i}. */
  int placed(int i) {
    return placed[i];
  }

  @Override
  public InputStream stream(BatchReadResponse value) {
    throw new UnsupportedOperationException("responses are only received");
  }

  @Override
  public BatchReadResponse parse(InputStream in) {
    try {
      BatchReadResponse.Builder batch = BatchReadResponse.newBuilder();
      int index = 0;
      while (true) {
        int tag = readTag(in);
        if (tag == 0) {
          return batch.build();
        }
        if (tag == ((1 << 3) | 2)) {
          long length = readVarint(in);
          batch.addResults(parseResult(in, length, index++));
        } else {
          skip(in, tag, -1);
        }
      }
    } catch (IOException e) {
      throw Status.INTERNAL
          .withDescription("malformed BatchRead response: " + e.getMessage())
          .withCause(e)
          .asRuntimeException();
    }
  }

  private ReadResponse parseResult(InputStream in, long length, int index) throws IOException {
    ReadResponse.Builder r = ReadResponse.newBuilder();
    long[] remaining = {length};
    while (remaining[0] > 0) {
      int tag = (int) readVarint(in, remaining);
      int field = tag >>> 3;
      switch (field) {
        case 1 -> r.setError(ErrorDetail.parseFrom(readBytes(in, remaining)));
        case 2 -> {
          int n = (int) readVarint(in, remaining);
          remaining[0] -= n;
          ByteBuffer dst = index < destinations.size() ? destinations.get(index) : null;
          if (dst == null || n > dst.capacity()) {
            // Not where the caller expects it: keep it in the message for the caller to reject.
            r.setData(ByteString.copyFrom(in.readNBytes(n)));
          } else {
            copyInto(in, dst.duplicate().clear(), n);
            placed[index] = n;
          }
        }
        case 3 -> r.setCommitVersion(readVarint(in, remaining));
        case 4 -> r.setChunkLength((int) readVarint(in, remaining));
        case 5 -> r.setChunkCrc32C((int) readVarint(in, remaining));
        default -> skip(in, tag, remaining);
      }
    }
    return r.build();
  }

  /** Copies {@code n} bytes from the stream into {@code dst}, from gRPC's buffers when it can. */
  private static void copyInto(InputStream in, ByteBuffer dst, int n) throws IOException {
    int left = n;
    if (in instanceof HasByteBuffer direct && direct.byteBufferSupported()) {
      while (left > 0) {
        ByteBuffer src = direct.getByteBuffer();
        if (src == null || !src.hasRemaining()) {
          break;
        }
        int k = Math.min(left, src.remaining());
        dst.put(src.limit(src.position() + k));
        long skipped = in.skip(k);
        if (skipped != k) {
          throw new IOException("stream skipped " + skipped + " of " + k + " bytes");
        }
        left -= k;
        FROM_TRANSPORT.add(k);
      }
    }
    if (left > 0) {
      BOUNCED.add(left);
    }
    byte[] bounce = left > 0 ? new byte[Math.min(left, BOUNCE)] : null;
    while (left > 0) {
      int k = in.read(bounce, 0, Math.min(left, bounce.length));
      if (k < 0) {
        throw new IOException("message ended " + left + " bytes early");
      }
      dst.put(bounce, 0, k);
      left -= k;
    }
  }

  private static byte[] readBytes(InputStream in, long[] remaining) throws IOException {
    int n = (int) readVarint(in, remaining);
    remaining[0] -= n;
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IOException("message ended early");
    }
    return b;
  }

  private static int readTag(InputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return 0;
    }
    long value = first & 0x7F;
    int shift = 7;
    int b = first;
    while ((b & 0x80) != 0) {
      b = in.read();
      if (b < 0) {
        throw new IOException("truncated tag");
      }
      value |= (long) (b & 0x7F) << shift;
      shift += 7;
    }
    return (int) value;
  }

  private static long readVarint(InputStream in) throws IOException {
    return readVarint(in, new long[] {Long.MAX_VALUE});
  }

  /** A per-call BatchRead method whose responses land in {@code destinations}. */
  static MethodDescriptor<io.catena.protocol.storage.BatchReadRequest, BatchReadResponse> method(
      DirectReadMarshaller marshaller) {
    var base = io.catena.protocol.storage.StorageServiceGrpc.getBatchReadMethod();
    return base.toBuilder(base.getRequestMarshaller(), marshaller).build();
  }

  private static long readVarint(InputStream in, long[] remaining) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("truncated varint");
      }
      remaining[0]--;
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("varint too long");
  }

  private static void skip(InputStream in, int tag, long[] remaining) throws IOException {
    long n =
        switch (tag & 7) {
          case 0 -> {
            readVarint(in, remaining);
            yield 0;
          }
          case 1 -> 8;
          case 2 -> readVarint(in, remaining);
          case 5 -> 4;
          default -> throw new IOException("unsupported wire type " + (tag & 7));
        };
    remaining[0] -= n;
    in.skipNBytes(n);
  }

  private static void skip(InputStream in, int tag, int unused) throws IOException {
    skip(in, tag, new long[] {Long.MAX_VALUE});
  }
}
