package io.catena.storage.auth;

import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.RoutingInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which chain tables list each chain, over every version of every table in the routing info (a file
 * laid out under an old table version still reaches its chains). Replaced whole on each routing
 * update.
 */
public final class ChainTableIndex {

  private volatile Map<Integer, Set<Integer>> tablesByChain = Map.of();

  public Set<Integer> tablesOf(int chainId) {
    return tablesByChain.getOrDefault(chainId, Set.of());
  }

  public void apply(RoutingInfo info) {
    Map<Integer, Set<Integer>> next = new HashMap<>();
    for (ChainTableInfo table : info.getChainTablesList()) {
      for (int chain : table.getChainIdsList()) {
        next.computeIfAbsent(chain, c -> new HashSet<>()).add(table.getTableId());
      }
    }
    next.replaceAll((chain, tables) -> Set.copyOf(tables));
    tablesByChain = Map.copyOf(next);
  }
}
