package io.catena.topology;

/** The node labels that name failure domains. Replicas of one chain are kept apart by them. */
public final class FailureDomain {
  /** A rack: nodes sharing power and a top-of-rack switch. */
  public static final String RACK = "rack";

  /** A zone: a room, building or availability zone. */
  public static final String ZONE = "zone";

  private FailureDomain() {}
}
