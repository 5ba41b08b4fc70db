package io.catena.controlplane.ops.cluster;

import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.List;

/**
 * The mgmtd calls operations make. Each mutation is one mgmtd transaction; failures are {@link
 * io.catena.controlplane.mgmtd.MgmtdException}s whose message says why.
 */
public interface ClusterAdmin {

  /** mgmtd's current routing info as a model. */
  ClusterSnapshot snapshot();

  void addNode(NodeInfo node);

  void removeNode(int nodeId);

  void createTargets(List<TargetInfo> targets);

  void removeTarget(long targetId);

  /** Appends a spare target to a chain's tail (OFFLINE until its daemon reports it; then syncs). */
  void addToChain(int chainId, long targetId);

  /** Removes an OFFLINE target from a chain. */
  void removeFromChain(int chainId, long targetId);

  /** {@code online=false} takes a target out of service as if it failed. */
  void setTargetOnline(long targetId, boolean online);

  void setChainTable(int tableId, List<ChainSpec> chains);
}
