package io.catena.topology;

/** A chain's id, unique in the cluster (chains are shared by the versions of a chain table). */
public record ChainId(int value) implements Comparable<ChainId> {
  public ChainId {
    if (value < 0) {
      throw new IllegalArgumentException("chain id must be >= 0, got " + value);
    }
  }

  public static ChainId of(int value) {
    return new ChainId(value);
  }

  @Override
  public int compareTo(ChainId other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return "chain-" + value;
  }
}
