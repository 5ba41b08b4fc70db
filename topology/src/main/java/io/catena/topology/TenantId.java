package io.catena.topology;

/** A tenant's id: a short name of letters, digits, '-', '_' and '.'. */
public record TenantId(String value) implements Comparable<TenantId> {
  public TenantId {
    if (value == null || !value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException(
          "tenant id must be 1-63 letters, digits, '.', '_' or '-' (starting with a letter or"
              + " digit), got '"
              + value
              + "'");
    }
  }

  public static TenantId of(String value) {
    return new TenantId(value);
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
