package io.catena.storage.server;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reused direct buffers for chunk data on the service path: data is copied once from the gRPC
 * message into one, and from there CRC32C, file writes and forwarding need no further heap copy.
 * Small payloads use heap buffers. A buffer is given back after the call that used it replied (gRPC
 * serialises a message synchronously when it is sent).
 *
 * <p>Buffers come in power-of-two sizes from {@link #SMALL} to the largest, so a 64 KiB write holds
 * 64 KiB and not a whole chunk's worth, and the direct bytes the pool ever allocates are bounded by
 * a budget: past it, requests get heap buffers. Without both, a burst of concurrent small writes
 * (one batch put of a hundred KV values) took a 4 MiB direct buffer each and ran the daemon out of
 * direct memory.
 */
final class DirectBufferPool {
  static final int SMALL = 64 * 1024;
  private static final int SMALL_SHIFT = Integer.numberOfTrailingZeros(SMALL);

  private final int largest;
  private final long budget;
  private final AtomicLong allocated = new AtomicLong();
  private final Queue<ByteBuffer>[] free;

  /**
   * @param largest the largest pooled buffer (bigger requests get heap buffers); a power of two
   * @param budget direct bytes the pool may allocate in all
   */
  @SuppressWarnings("unchecked")
  DirectBufferPool(int largest, long budget) {
    if (Integer.bitCount(largest) != 1 || largest < SMALL) {
      throw new IllegalArgumentException("the largest buffer must be a power of two >= 64 KiB");
    }
    this.largest = largest;
    this.budget = budget;
    this.free = new Queue[classOf(largest) + 1];
    for (int i = 0; i < free.length; i++) {
      free[i] = new ConcurrentLinkedQueue<>();
    }
  }

  /** A quarter of the JVM's direct memory limit (by default the heap's maximum). */
  static long defaultBudget() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  private static int classOf(int size) {
    int shift = 32 - Integer.numberOfLeadingZeros(size - 1);
    return Math.max(0, shift - SMALL_SHIFT);
  }

  /** A buffer with position 0 and limit {@code size}. */
  ByteBuffer acquire(int size) {
    if (size < SMALL || size > largest) {
      return ByteBuffer.allocate(size);
    }
    int c = classOf(size);
    ByteBuffer b = free[c].poll();
    if (b == null) {
      int capacity = SMALL << c;
      if (allocated.addAndGet(capacity) > budget) {
        allocated.addAndGet(-capacity);
        return ByteBuffer.allocate(size);
      }
      b = ByteBuffer.allocateDirect(capacity);
    }
    return b.clear().limit(size);
  }

  void release(ByteBuffer b) {
    if (b != null
        && b.isDirect()
        && Integer.bitCount(b.capacity()) == 1
        && b.capacity() >= SMALL
        && b.capacity() <= largest) {
      free[classOf(b.capacity())].offer(b);
    }
  }

  /** Direct bytes allocated so far (pooled or in use). */
  long allocatedBytes() {
    return allocated.get();
  }
}
