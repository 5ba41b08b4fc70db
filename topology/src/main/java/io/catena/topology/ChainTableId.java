package io.catena.topology;

/** A chain table's id. A file's layout names a table id and version. */
public record ChainTableId(int value) implements Comparable<ChainTableId> {
  public ChainTableId {
    if (value < 0) {
      throw new IllegalArgumentException("chain table id must be >= 0, got " + value);
    }
  }

  public static ChainTableId of(int value) {
    return new ChainTableId(value);
  }

  @Override
  public int compareTo(ChainTableId other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return "table-" + value;
  }
}
