package io.catena.topology;

/**
 * A storage target's id, unique in the cluster. Targets that Catena creates are numbered {@code
 * node * 1,000,000 + disk * 1,000 + slot} (see {@link #of(NodeId, int, int)}), so an operator can
 * read the node and disk from the number; ids given by hand need only be unique.
 */
public record TargetId(long value) implements Comparable<TargetId> {
  public static final int MAX_DISKS = 1000;
  public static final int MAX_SLOTS_PER_DISK = 1000;

  public TargetId {
    if (value < 0) {
      throw new IllegalArgumentException("target id must be >= 0, got " + value);
    }
  }

  public static TargetId of(long value) {
    return new TargetId(value);
  }

  /** The conventional id of the {@code slot}-th target on disk {@code disk} of {@code node}. */
  public static TargetId of(NodeId node, int disk, int slot) {
    if (disk < 0 || disk >= MAX_DISKS || slot < 0 || slot >= MAX_SLOTS_PER_DISK) {
      throw new IllegalArgumentException(
          "disk must be in [0," + MAX_DISKS + ") and slot in [0," + MAX_SLOTS_PER_DISK + ")");
    }
    return new TargetId(
        (long) node.value() * MAX_DISKS * MAX_SLOTS_PER_DISK
            + (long) disk * MAX_SLOTS_PER_DISK
            + slot);
  }

  @Override
  public int compareTo(TargetId other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return "target-" + value;
  }
}
