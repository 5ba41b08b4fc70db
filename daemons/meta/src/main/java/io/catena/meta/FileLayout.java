package io.catena.meta;

import java.util.List;

/**
 * Where a file's chunks live: chunk {@code i} is on chain {@code chainIds[i % stripeSize]} of the
 * chain table (id, version). The chain list is chosen once, at create, and never changes.
 */
public record FileLayout(
    int chainTableId,
    int chainTableVersion,
    int chunkSize,
    int stripeSize,
    List<Integer> chainIds) {

  public FileLayout {
    chainIds = List.copyOf(chainIds);
    if (chainIds.size() != stripeSize) {
      throw new IllegalArgumentException(
          "stripe of " + stripeSize + " needs as many chains, got " + chainIds.size());
    }
  }

  public int chainOfChunk(long chunkIndex) {
    return chainIds.get((int) (chunkIndex % stripeSize));
  }

  /** How many chunks hold the bytes {@code [0, length)}. */
  public long chunkCount(long length) {
    return (length + chunkSize - 1) / chunkSize;
  }
}
