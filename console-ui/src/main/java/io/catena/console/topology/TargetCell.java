package io.catena.console.topology;

/** One target as the topology draws it: where it lives, which chain it serves, its state. */
public record TargetCell(
    long targetId, String domain, String node, String disk, int chainId, String state) {}
