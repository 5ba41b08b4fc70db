package io.catena.controlplane.kubernetes;

import io.catena.controlplane.mgmtd.MgmtdAdmin;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * mgmtd's admin API in memory, answering like mgmtd does for the calls the operator makes. Its
 * state is package-visible for {@link InMemoryClusterAdmin}, which locks this object to change it.
 */
final class InMemoryMgmtdAdmin implements MgmtdAdmin {
  final Map<Integer, NodeInfo> nodes = new LinkedHashMap<>();
  final Map<Long, TargetInfo> targets = new LinkedHashMap<>();
  final Map<Integer, ChainInfo> chains = new LinkedHashMap<>();
  final Map<Integer, ChainTableInfo> tables = new LinkedHashMap<>();
  volatile String primary = "demo-mgmtd-0.demo-mgmtd.test.svc:8000";

  @Override
  public synchronized Optional<String> primary() {
    return Optional.ofNullable(primary);
  }

  @Override
  public synchronized List<NodeInfo> nodes() {
    return List.copyOf(nodes.values());
  }

  @Override
  public synchronized List<TargetInfo> targets() {
    return List.copyOf(targets.values());
  }

  @Override
  public synchronized List<ChainInfo> chains() {
    return List.copyOf(chains.values());
  }

  @Override
  public synchronized List<ChainTableInfo> chainTables() {
    return List.copyOf(tables.values());
  }

  @Override
  public List<DaemonInfo> daemons() {
    return List.of();
  }

  @Override
  public synchronized void addNode(NodeInfo node) {
    nodes.put(node.getNodeId(), node);
  }

  @Override
  public synchronized void createTargets(List<TargetInfo> list) {
    for (TargetInfo t : list) {
      targets.putIfAbsent(
          t.getTargetId(), t.toBuilder().setPublicState(PublicState.SERVING).build());
    }
  }

  @Override
  public synchronized void setChainTable(int tableId, List<ChainSpec> specs) {
    List<Integer> ids = new ArrayList<>();
    for (ChainSpec spec : specs) {
      ids.add(spec.getChainId());
      chains.computeIfAbsent(
          spec.getChainId(),
          id -> {
            ChainInfo.Builder b = ChainInfo.newBuilder().setChainId(id).setVersion(1);
            spec.getTargetIdsList()
                .forEach(
                    t ->
                        b.addMembers(
                            ChainMember.newBuilder()
                                .setTargetId(t)
                                .setPublicState(PublicState.SERVING)));
            return b.build();
          });
    }
    int version = tables.containsKey(tableId) ? tables.get(tableId).getVersion() + 1 : 1;
    tables.put(
        tableId,
        ChainTableInfo.newBuilder()
            .setTableId(tableId)
            .setVersion(version)
            .addAllChainIds(ids)
            .build());
  }
}
