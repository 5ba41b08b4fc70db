package io.catena.installer.topology;

import io.catena.topology.ClusterShape;
import picocli.CommandLine.Option;

/** The cluster-shape options both topology commands take. */
final class ShapeOptions {

  @Option(names = "--nodes", required = true, description = "Storage nodes (before a scale-out).")
  int nodes;

  @Option(names = "--disks", required = true, description = "Disks per node.")
  int disks;

  @Option(names = "--targets-per-disk", required = true, description = "Targets per disk.")
  int targetsPerDisk;

  @Option(
      names = "--replicas",
      defaultValue = "3",
      description = "Replicas per chain (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(
      names = "--racks",
      defaultValue = "0",
      description = "Racks, nodes assigned round-robin; 0: no rack labels (default).")
  int racks;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: 1).")
  long seed;

  ClusterShape shape() {
    if (replicas < 1) {
      throw new IllegalArgumentException("--replicas must be >= 1, got " + replicas);
    }
    if (racks > nodes) {
      throw new IllegalArgumentException(
          "--racks (" + racks + ") must not exceed --nodes (" + nodes + ")");
    }
    if (racks > 0 && racks < replicas) {
      throw new IllegalArgumentException(
          "--racks "
              + racks
              + " cannot keep "
              + replicas
              + " replicas in different racks; use at least "
              + replicas
              + " racks or none");
    }
    if (nodes < replicas) {
      throw new IllegalArgumentException(
          "--nodes " + nodes + " cannot hold " + replicas + " replicas on different nodes");
    }
    return new ClusterShape(nodes, disks, targetsPerDisk, racks);
  }
}
