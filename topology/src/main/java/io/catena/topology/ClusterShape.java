package io.catena.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A uniform cluster: {@code nodes} nodes with {@code disksPerNode} disks of {@code
 * diskCapacityBytes}, each split into {@code targetsPerDisk} spare targets; nodes labelled with
 * {@code racks} racks round-robin (0: no rack labels). Builds models for planning and tests.
 */
public record ClusterShape(
    int nodes, int disksPerNode, int targetsPerDisk, int racks, long diskCapacityBytes) {

  /** 7.68 TB, a common NVMe size. */
  public static final long DEFAULT_DISK_BYTES = 7_680_000_000_000L;

  public ClusterShape {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be >= 1, got " + nodes);
    }
    if (disksPerNode < 1 || disksPerNode > TargetId.MAX_DISKS) {
      throw new IllegalArgumentException(
          "disks per node must be in [1," + TargetId.MAX_DISKS + "], got " + disksPerNode);
    }
    if (targetsPerDisk < 1 || targetsPerDisk > TargetId.MAX_SLOTS_PER_DISK) {
      throw new IllegalArgumentException(
          "targets per disk must be in [1,"
              + TargetId.MAX_SLOTS_PER_DISK
              + "], got "
              + targetsPerDisk);
    }
    if (racks < 0) {
      throw new IllegalArgumentException("racks must be >= 0, got " + racks);
    }
    if (diskCapacityBytes < 0) {
      throw new IllegalArgumentException("disk capacity must be >= 0");
    }
  }

  public ClusterShape(int nodes, int disksPerNode, int targetsPerDisk, int racks) {
    this(nodes, disksPerNode, targetsPerDisk, racks, DEFAULT_DISK_BYTES);
  }

  public int targetsPerNode() {
    return disksPerNode * targetsPerDisk;
  }

  /** The cluster: nodes 1..nodes, every target spare. */
  public ClusterTopology build() {
    return addNodes(ClusterTopology.empty(), nodes);
  }

  /**
   * {@code cluster} plus {@code count} nodes of this shape, numbered after its highest node id and
   * labelled with racks continuing the round-robin; their targets are spare.
   */
  public ClusterTopology addNodes(ClusterTopology cluster, int count) {
    int first = 1;
    for (Node node : cluster.nodes()) {
      first = Math.max(first, node.id().value() + 1);
    }
    ClusterTopology.Builder builder = cluster.toBuilder();
    for (Node node : newNodes(first, count)) {
      builder.putNode(node);
      for (Target target : targetsOf(node)) {
        builder.putTarget(target);
      }
    }
    return builder.build();
  }

  /** Node definitions with ids {@code first .. first+count-1}. */
  public List<Node> newNodes(int first, int count) {
    List<Node> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int id = first + i;
      List<Disk> disks = new ArrayList<>(disksPerNode);
      for (int d = 0; d < disksPerNode; d++) {
        disks.add(new Disk(d, diskCapacityBytes));
      }
      Map<String, String> labels =
          racks > 0 ? Map.of(FailureDomain.RACK, "rack-" + ((id - 1) % racks + 1)) : Map.of();
      result.add(
          new Node(
              NodeId.of(id), "10.0." + (id / 250) + "." + (id % 250 + 1) + ":8000", labels, disks));
    }
    return result;
  }

  /** The spare targets of a node of this shape. */
  public List<Target> targetsOf(Node node) {
    List<Target> result = new ArrayList<>(targetsPerNode());
    long capacity = diskCapacityBytes / targetsPerDisk;
    for (int d = 0; d < disksPerNode; d++) {
      for (int s = 0; s < targetsPerDisk; s++) {
        result.add(Target.serving(TargetId.of(node.id(), d, s), node.id(), d, capacity));
      }
    }
    return result;
  }
}
