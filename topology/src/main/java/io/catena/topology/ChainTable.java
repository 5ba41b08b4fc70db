package io.catena.topology;

import java.util.List;

/**
 * An ordered list of chains. A file's chunks rotate over a stretch of it, so consecutive chains
 * should sit on different nodes. A new version is made only when the list changes; files keep the
 * version they were laid out with.
 */
public record ChainTable(ChainTableId id, int version, List<ChainId> chains) {
  public ChainTable {
    if (id == null) {
      throw new IllegalArgumentException("chain table id is missing");
    }
    if (version < 1) {
      throw new IllegalArgumentException(id + ": version must be >= 1, got " + version);
    }
    chains = chains == null ? List.of() : List.copyOf(chains);
  }

  /** The chain a file's chunk lands on: index is 0-based and wraps around the table. */
  public ChainId chainAt(long index) {
    if (chains.isEmpty()) {
      throw new IllegalStateException(id + " has no chains");
    }
    return chains.get((int) Math.floorMod(index, (long) chains.size()));
  }
}
