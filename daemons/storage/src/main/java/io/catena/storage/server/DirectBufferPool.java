package io.catena.storage.server;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reused direct buffers for chunk data on the service path: data is copied once from the gRPC
 * message into one, and from there CRC32C, file writes and forwarding need no further heap copy.
 * Small payloads use heap buffers. A buffer is given back after the call that used it replied (gRPC
 * serialises a message synchronously when it is sent).
 */
final class DirectBufferPool {
  static final int SMALL = 64 * 1024;
  private final int bufferBytes;
  private final ArrayBlockingQueue<ByteBuffer> free;

  DirectBufferPool(int bufferBytes, int retained) {
    this.bufferBytes = bufferBytes;
    this.free = new ArrayBlockingQueue<>(retained);
  }

  /** A buffer with position 0 and limit {@code size}. */
  ByteBuffer acquire(int size) {
    if (size < SMALL || size > bufferBytes) {
      return ByteBuffer.allocate(size);
    }
    ByteBuffer b = free.poll();
    if (b == null) {
      b = ByteBuffer.allocateDirect(bufferBytes);
    }
    return b.clear().limit(size);
  }

  void release(ByteBuffer b) {
    if (b != null && b.isDirect() && b.capacity() == bufferBytes) {
      free.offer(b);
    }
  }
}
