package io.catena.mgmtd.store;

import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.ClusterConfig;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.ArrayList;
import java.util.List;

/** The records one cluster change writes or deletes; applied atomically by {@link MgmtdStore}. */
public final class StoreBatch {

  record Op(byte[] key, byte[] value) {}

  private final List<Op> ops = new ArrayList<>();

  public StoreBatch putNode(NodeInfo node) {
    return put(MgmtdKeys.node(node.getNodeId()), node.toByteArray());
  }

  public StoreBatch deleteNode(int node) {
    return put(MgmtdKeys.node(node), null);
  }

  /** Persists a target's identity and public state; local state and usage live in memory. */
  public StoreBatch putTarget(TargetInfo target) {
    TargetInfo stored = target.toBuilder().clearLocalState().clearUsedBytes().build();
    return put(MgmtdKeys.target(target.getTargetId()), stored.toByteArray());
  }

  public StoreBatch deleteTarget(long target) {
    return put(MgmtdKeys.target(target), null);
  }

  public StoreBatch putChain(ChainInfo chain) {
    return put(MgmtdKeys.chain(chain.getChainId()), chain.toByteArray());
  }

  public StoreBatch putChainTable(ChainTableInfo table) {
    return put(MgmtdKeys.table(table.getTableId(), table.getVersion()), table.toByteArray());
  }

  public StoreBatch putDaemon(DaemonInfo daemon) {
    return put(MgmtdKeys.daemon(daemon.getDaemonId()), daemon.toByteArray());
  }

  public StoreBatch setAdminOffline(long target, boolean offline) {
    return put(MgmtdKeys.adminOffline(target), offline ? new byte[0] : null);
  }

  public StoreBatch putConfig(ClusterConfig config) {
    return put(MgmtdKeys.CONFIG, config.toByteArray());
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  List<Op> ops() {
    return ops;
  }

  private StoreBatch put(byte[] key, byte[] value) {
    ops.add(new Op(key, value));
    return this;
  }
}
