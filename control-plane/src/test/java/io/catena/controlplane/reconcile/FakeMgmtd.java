package io.catena.controlplane.reconcile;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** mgmtd's admin API in memory, with its rules that matter here (chains start SERVING). */
public final class FakeMgmtd implements MgmtdAdmin {

  String primary = "10.0.0.1:8000";
  final Map<Integer, NodeInfo> nodes = new TreeMap<>();
  final Map<Long, TargetInfo> targets = new TreeMap<>();
  final Map<Integer, ChainInfo> chains = new TreeMap<>();
  final List<ChainTableInfo> tables = new ArrayList<>();
  int adds;

  @Override
  public Optional<String> primary() {
    return Optional.ofNullable(primary);
  }

  @Override
  public List<NodeInfo> nodes() {
    return new ArrayList<>(nodes.values());
  }

  @Override
  public List<TargetInfo> targets() {
    return new ArrayList<>(targets.values());
  }

  @Override
  public List<ChainInfo> chains() {
    return new ArrayList<>(chains.values());
  }

  @Override
  public List<ChainTableInfo> chainTables() {
    return List.copyOf(tables);
  }

  @Override
  public List<DaemonInfo> daemons() {
    return List.of();
  }

  @Override
  public void addNode(NodeInfo node) {
    adds++;
    nodes.put(node.getNodeId(), node);
  }

  @Override
  public void createTargets(List<TargetInfo> created) {
    created.forEach(
        t ->
            targets.put(
                t.getTargetId(), t.toBuilder().setPublicState(PublicState.OFFLINE).build()));
  }

  @Override
  public void setChainTable(int tableId, List<ChainSpec> specs) {
    ChainTableInfo.Builder table = ChainTableInfo.newBuilder().setTableId(tableId).setVersion(1);
    for (ChainSpec spec : specs) {
      ChainInfo.Builder chain = ChainInfo.newBuilder().setChainId(spec.getChainId()).setVersion(1);
      for (long t : spec.getTargetIdsList()) {
        chain.addMembers(
            ChainMember.newBuilder().setTargetId(t).setPublicState(PublicState.SERVING));
        targets.put(
            t,
            targets.get(t).toBuilder()
                .setChainId(spec.getChainId())
                .setPublicState(PublicState.SERVING)
                .build());
      }
      chains.put(spec.getChainId(), chain.build());
      table.addChainIds(spec.getChainId());
    }
    tables.add(table.build());
  }
}
