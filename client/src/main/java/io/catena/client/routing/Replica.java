package io.catena.client.routing;

/** One member of a chain: its target, the node serving it, that node's storage address, state. */
public record Replica(long targetId, int nodeId, String address, ReplicaState state) {}
