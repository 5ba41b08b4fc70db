package io.catena.storage.chain;

import io.catena.storage.chunk.ChunkId;

/** Test hook on the write path: throwing from {@link #at} aborts the operation there. */
@FunctionalInterface
public interface FaultInjector {
  FaultInjector NONE = (point, targetId, chunk) -> {};

  void at(FaultPoint point, long targetId, ChunkId chunk);
}
