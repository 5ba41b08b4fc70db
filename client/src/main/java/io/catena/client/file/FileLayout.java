package io.catena.client.file;

import java.util.List;

/**
 * Where a file's chunks live (meta chose it at create): chunk {@code i} is on chain {@code
 * chainIds[i % stripeSize]}; the chain table (id, version) it was drawn from is kept for reference.
 */
public record FileLayout(
    int chainTableId,
    int chainTableVersion,
    int chunkSize,
    int stripeSize,
    List<Integer> chainIds) {

  public FileLayout {
    chainIds = List.copyOf(chainIds);
    if (chunkSize <= 0 || stripeSize <= 0 || chainIds.size() != stripeSize) {
      throw new IllegalArgumentException(
          "bad layout: chunk size "
              + chunkSize
              + ", stripe "
              + stripeSize
              + ", chains "
              + chainIds);
    }
  }

  public int chainOfChunk(long chunkIndex) {
    return chainIds.get((int) (chunkIndex % stripeSize));
  }

  static FileLayout of(io.catena.protocol.meta.FileLayout wire) {
    return new FileLayout(
        wire.getChainTableId(),
        wire.getChainTableVersion(),
        wire.getChunkSize(),
        wire.getStripeSize(),
        wire.getChainIdsList());
  }
}
