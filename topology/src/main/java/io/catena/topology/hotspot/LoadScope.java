package io.catena.topology.hotspot;

/** What a load score is about. */
public enum LoadScope {
  TARGET,
  CHAIN,
  NODE,
  TENANT
}
