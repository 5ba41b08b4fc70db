package io.catena.controlplane.ops.cluster;

/**
 * The storage daemons' side of a replica's life: a target must exist on its daemon (bound to its
 * chain) before mgmtd adds it to the chain, and its data is deleted once it has left the chain.
 */
public interface ReplicaHosts {

  /**
   * Makes sure an empty target can join: creates it on the daemon at {@code address}, or does
   * nothing where the daemon creates the targets mgmtd assigns to it.
   */
  void createTarget(String address, int nodeId, long targetId, int chainId);

  /** Deletes a target that left its chain, with its data. */
  void removeTarget(String address, long targetId);

  /** Whether the daemon at {@code address} serves the target now. */
  boolean serves(String address, long targetId);
}
