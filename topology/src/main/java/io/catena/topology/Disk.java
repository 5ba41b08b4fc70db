package io.catena.topology;

/** One SSD of a node, by its index on the node, with its raw capacity. */
public record Disk(int index, long capacityBytes) {
  public Disk {
    if (index < 0 || index >= TargetId.MAX_DISKS) {
      throw new IllegalArgumentException(
          "disk index must be in [0," + TargetId.MAX_DISKS + "), got " + index);
    }
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("disk capacity must be >= 0, got " + capacityBytes);
    }
  }
}
