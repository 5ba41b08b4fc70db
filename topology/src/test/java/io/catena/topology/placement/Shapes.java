package io.catena.topology.placement;

import io.catena.topology.ClusterShape;

/** Helpers for cluster shapes in tests. */
final class Shapes {
  private Shapes() {}

  /**
   * Whether racks allow every node the same number of replicas: a failure domain can hold at most
   * one replica of each chain, so the biggest rack may hold at most 1/R of all targets.
   */
  static boolean racksAllowBalance(ClusterShape shape, int replicas) {
    if (shape.racks() == 0) {
      return true;
    }
    long biggestRack = (shape.nodes() + shape.racks() - 1) / shape.racks();
    long perNode = shape.targetsPerNode();
    return biggestRack * perNode <= (long) shape.nodes() * perNode / replicas;
  }
}
