package io.catena.client.routing;

/**
 * One member of a chain: its target, the node serving it, that node's storage address (gRPC), its
 * data-channel address (empty when the node has none) and its state.
 */
public record Replica(
    long targetId, int nodeId, String address, String dataAddress, ReplicaState state) {
  public Replica {
    dataAddress = dataAddress == null ? "" : dataAddress;
  }

  /** A replica whose node has no data channel. */
  public Replica(long targetId, int nodeId, String address, ReplicaState state) {
    this(targetId, nodeId, address, "", state);
  }
}
