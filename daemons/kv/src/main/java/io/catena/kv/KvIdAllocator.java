package io.catena.kv;

/**
 * Hands out unique ids from a counter stored under one key. Each refill reserves a block of ids in
 * one transaction, so the counter key is touched once per block: ids are unique across every
 * allocator sharing the key and increase monotonically within one allocator (blocks of different
 * allocators interleave). Ids start at 1.
 */
public final class KvIdAllocator {

  private final KvEngine engine;
  private final byte[] counterKey;
  private final int blockSize;
  private long next;
  private long blockEnd;

  public KvIdAllocator(KvEngine engine, byte[] counterKey, int blockSize) {
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
    }
    this.engine = engine;
    this.counterKey = counterKey.clone();
    this.blockSize = blockSize;
  }

  public synchronized long next() {
    if (next == blockEnd) {
      long start =
          engine.run(
              tx -> {
                byte[] stored = tx.get(counterKey);
                long first = stored == null ? 1 : Keys.readU64(stored, 0);
                tx.set(counterKey, Keys.u64(first + blockSize));
                return first;
              });
      next = start;
      blockEnd = start + blockSize;
    }
    return next++;
  }
}
