package io.catena.controlplane.ops.cluster;

/**
 * Brings up the storage daemon of a node a scale-out adds (a new agent's node locally, a new pod
 * under Kubernetes) and says where it listens. The daemon must heartbeat to mgmtd as node {@code
 * nodeId}.
 */
public interface NodeProvisioner {

  /** Starts (or finds running) node {@code nodeId}'s storage daemon; returns its address. */
  String startStorageNode(int nodeId);
}
