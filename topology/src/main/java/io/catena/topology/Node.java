package io.catena.topology;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A storage node: its id, the address its storage service listens on, its labels (failure domains
 * such as {@link FailureDomain#RACK} and {@link FailureDomain#ZONE}, and anything else) and its
 * disks, ordered by index.
 */
public record Node(NodeId id, String address, Map<String, String> labels, List<Disk> disks) {
  public Node {
    if (id == null) {
      throw new IllegalArgumentException("node id is missing");
    }
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException(id + " has no address");
    }
    labels =
        labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    disks =
        disks == null
            ? List.of()
            : disks.stream().sorted(Comparator.comparingInt(Disk::index)).toList();
  }

  public Node(NodeId id, String address, Map<String, String> labels) {
    this(id, address, labels, List.of());
  }

  /** The value of a label, if the node has it. */
  public Optional<String> label(String key) {
    return Optional.ofNullable(labels.get(key));
  }

  /** The node's rack, if labelled. */
  public Optional<String> rack() {
    return label(FailureDomain.RACK);
  }

  /** The node's zone, if labelled. */
  public Optional<String> zone() {
    return label(FailureDomain.ZONE);
  }

  /** The disk with this index, if the node has it. */
  public Optional<Disk> disk(int index) {
    for (Disk disk : disks) {
      if (disk.index() == index) {
        return Optional.of(disk);
      }
    }
    return Optional.empty();
  }

  /** The sum of the node's disk capacities. */
  public long capacityBytes() {
    long sum = 0;
    for (Disk disk : disks) {
      sum += disk.capacityBytes();
    }
    return sum;
  }
}
