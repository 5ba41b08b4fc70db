package io.catena.topology;

/** A storage node's id, unique in the cluster. */
public record NodeId(int value) implements Comparable<NodeId> {
  public NodeId {
    if (value < 0) {
      throw new IllegalArgumentException("node id must be >= 0, got " + value);
    }
  }

  public static NodeId of(int value) {
    return new NodeId(value);
  }

  @Override
  public int compareTo(NodeId other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return "node-" + value;
  }
}
