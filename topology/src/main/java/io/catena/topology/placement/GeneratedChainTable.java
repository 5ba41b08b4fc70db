package io.catena.topology.placement;

import io.catena.topology.ChainTable;
import io.catena.topology.ClusterTopology;

/**
 * A generated chain table: the cluster with its new chains and table, the table, its metrics, and
 * how many spare targets could not be used (a remainder below R, or a domain holding more targets
 * than there are chains).
 */
public record GeneratedChainTable(
    ClusterTopology topology, ChainTable table, PlacementMetrics metrics, int unusedTargets) {}
