package io.catena.topology;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A storage node: its id, the address its storage service listens on, its labels (failure domains
 * such as {@link FailureDomain#RACK} and {@link FailureDomain#ZONE}, and anything else), its disks,
 * ordered by index, and the address of its data channel (zero-copy chunk reads; empty when it has
 * none).
 */
public record Node(
    NodeId id, String address, Map<String, String> labels, List<Disk> disks, String dataAddress) {
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
    dataAddress = dataAddress == null ? "" : dataAddress;
  }

  public Node(NodeId id, String address, Map<String, String> labels, List<Disk> disks) {
    this(id, address, labels, disks, "");
  }

  public Node(NodeId id, String address, Map<String, String> labels) {
    this(id, address, labels, List.of());
  }

  /** The same node with another data-channel address (empty: none). */
  public Node withDataAddress(String newDataAddress) {
    return new Node(id, address, labels, disks, newDataAddress);
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
