package io.catena.mgmtd.store;

import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.ClusterConfig;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.List;
import java.util.Set;

/** Everything mgmtd persisted, as read by a new primary in one transaction. */
public record StoredCluster(
    long routingVersion,
    List<NodeInfo> nodes,
    List<TargetInfo> targets,
    List<ChainInfo> chains,
    List<ChainTableInfo> chainTables,
    List<DaemonInfo> daemons,
    Set<Long> adminOffline,
    ClusterConfig config) {}
