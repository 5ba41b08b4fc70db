package io.catena.topology;

/** One reason a cluster model is invalid: a code to look up and a message saying what to fix. */
public record TopologyViolation(Code code, String message) {

  /** The rules a {@link ClusterTopology} obeys. */
  public enum Code {
    DUPLICATE_NODE,
    DUPLICATE_DISK,
    DUPLICATE_TARGET,
    TARGET_ON_UNKNOWN_NODE,
    TARGET_ON_UNKNOWN_DISK,
    DUPLICATE_CHAIN,
    EMPTY_CHAIN,
    CHAIN_UNKNOWN_TARGET,
    TARGET_IN_TWO_CHAINS,
    REPLICAS_SHARE_NODE,
    DUPLICATE_CHAIN_TABLE,
    CHAIN_TABLE_UNKNOWN_CHAIN,
    CHAIN_TABLE_REPEATS_CHAIN,
    DUPLICATE_TENANT,
    TENANT_UNKNOWN_CHAIN_TABLE
  }

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
