package io.catena.controlplane.mgmtd;

import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.List;
import java.util.Optional;

/**
 * What the reconciler asks of mgmtd, in wire types. {@link GrpcMgmtdAdmin} calls the primary; tests
 * use an in-memory fake. Failures are {@link MgmtdException}s.
 */
public interface MgmtdAdmin {

  /** The primary's address, or empty when no instance holds the lease (or none answers). */
  Optional<String> primary();

  List<NodeInfo> nodes();

  List<TargetInfo> targets();

  List<ChainInfo> chains();

  List<ChainTableInfo> chainTables();

  List<DaemonInfo> daemons();

  void addNode(NodeInfo node);

  void createTargets(List<TargetInfo> targets);

  void setChainTable(int tableId, List<ChainSpec> chains);
}
