package io.catena.topology.placement;

import io.catena.topology.ChainTableId;
import io.catena.topology.FailureDomain;
import io.catena.topology.NodeId;
import java.util.Set;

/**
 * What to generate: a new chain table {@code table} of chains with {@code replicas} replicas, over
 * the spare targets of {@code nodes} (empty: every node with spare targets), keeping replicas in
 * different {@code domainLabel} domains. The seed makes the result reproducible.
 */
public record ChainTableSpec(
    ChainTableId table, int replicas, long seed, String domainLabel, Set<NodeId> nodes) {

  public ChainTableSpec {
    if (table == null) {
      throw new IllegalArgumentException("chain table id is missing");
    }
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be >= 1, got " + replicas);
    }
    domainLabel = domainLabel == null ? FailureDomain.RACK : domainLabel;
    nodes = nodes == null ? Set.of() : Set.copyOf(nodes);
  }

  /** Over every node, racks as failure domains. */
  public static ChainTableSpec of(ChainTableId table, int replicas, long seed) {
    return new ChainTableSpec(table, replicas, seed, FailureDomain.RACK, Set.of());
  }
}
