package io.catena.meta;

/** Limits of a tenant; 0 means unlimited. */
public record Quota(long maxBytes, long maxInodes) {

  public static final Quota UNLIMITED = new Quota(0, 0);

  public Quota {
    if (maxBytes < 0 || maxInodes < 0) {
      throw MetaException.invalid("quota limits cannot be negative");
    }
  }
}
