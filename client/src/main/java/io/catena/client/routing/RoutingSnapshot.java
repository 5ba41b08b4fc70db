package io.catena.client.routing;

import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One version of mgmtd's routing info, indexed for the I/O path. Immutable. */
public final class RoutingSnapshot {

  /** Before the first routing info arrived. */
  public static final RoutingSnapshot EMPTY = new RoutingSnapshot(0, Map.of(), Map.of());

  private final long version;
  private final Map<Integer, ChainRoute> chains;
  private final Map<Long, List<Integer>> tables;

  private RoutingSnapshot(
      long version, Map<Integer, ChainRoute> chains, Map<Long, List<Integer>> tables) {
    this.version = version;
    this.chains = chains;
    this.tables = tables;
  }

  public static RoutingSnapshot of(RoutingInfo info) {
    Map<Integer, String> nodeAddress = new HashMap<>();
    Map<Integer, String> nodeDataAddress = new HashMap<>();
    for (NodeInfo node : info.getNodesList()) {
      nodeAddress.put(node.getNodeId(), node.getAddress());
      nodeDataAddress.put(node.getNodeId(), node.getDataAddress());
    }
    Map<Long, Integer> targetNode = new HashMap<>();
    for (TargetInfo target : info.getTargetsList()) {
      targetNode.put(target.getTargetId(), target.getNodeId());
    }
    Map<Integer, ChainRoute> chains = new HashMap<>();
    for (ChainInfo chain : info.getChainsList()) {
      List<Replica> members = new ArrayList<>(chain.getMembersCount());
      for (var m : chain.getMembersList()) {
        Integer node = targetNode.get(m.getTargetId());
        String address = node == null ? "" : nodeAddress.getOrDefault(node, "");
        members.add(
            new Replica(
                m.getTargetId(),
                node == null ? 0 : node,
                address,
                node == null ? "" : nodeDataAddress.getOrDefault(node, ""),
                ReplicaState.of(m.getPublicState())));
      }
      chains.put(
          chain.getChainId(), new ChainRoute(chain.getChainId(), chain.getVersion(), members));
    }
    Map<Long, List<Integer>> tables = new HashMap<>();
    for (ChainTableInfo t : info.getChainTablesList()) {
      tables.put(tableKey(t.getTableId(), t.getVersion()), List.copyOf(t.getChainIdsList()));
    }
    return new RoutingSnapshot(info.getVersion(), Map.copyOf(chains), Map.copyOf(tables));
  }

  private static long tableKey(int id, int version) {
    return ((long) id << 32) | (version & 0xFFFFFFFFL);
  }

  public long version() {
    return version;
  }

  public Optional<ChainRoute> chain(int chainId) {
    return Optional.ofNullable(chains.get(chainId));
  }

  /** The chains of one chain-table version, if mgmtd lists it. */
  public Optional<List<Integer>> chainTable(int tableId, int tableVersion) {
    return Optional.ofNullable(tables.get(tableKey(tableId, tableVersion)));
  }

  public int chainCount() {
    return chains.size();
  }
}
