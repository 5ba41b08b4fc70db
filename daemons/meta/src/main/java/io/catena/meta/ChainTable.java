package io.catena.meta;

import java.util.List;

/** One version of a chain table: the chains files of that table spread over. */
public record ChainTable(int id, int version, List<Integer> chainIds) {
  public ChainTable {
    chainIds = List.copyOf(chainIds);
  }
}
