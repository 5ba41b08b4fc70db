package io.catena.controlplane.ops.cluster;

/**
 * The storage daemons' side of a replica's life: a target must exist on its daemon (bound to its
 * chain) before mgmtd adds it to the chain, and its data is deleted once it has left the chain.
 */
public interface ReplicaHosts {

  /** Creates an empty target on the daemon at {@code address} for node {@code nodeId}. */
  void createTarget(String address, int nodeId, long targetId, int chainId);

  /** Deletes a target that left its chain, with its data. */
  void removeTarget(String address, long targetId);
}
