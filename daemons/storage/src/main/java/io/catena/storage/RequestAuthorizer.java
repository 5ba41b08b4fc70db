package io.catena.storage;

import io.catena.storage.chunk.ChunkId;

/**
 * Decides whether a tenant token may touch a chunk on a chain. Every client I/O (write, read,
 * remove) is checked before it reaches a target; chain-internal calls between storage daemons are
 * not. The meta-backed implementation is {@code auth.TenantChainAuthorizer}: the tenant's chain
 * tables and the chunk's owner (docs/security-tenants.md).
 */
@FunctionalInterface
public interface RequestAuthorizer {
  enum Access {
    READ,
    WRITE
  }

  /** Throws nothing; returns false to refuse with PERMISSION_DENIED. */
  boolean allows(String token, int chainId, ChunkId chunk, Access access);

  /**
   * Why the request is refused, for the PERMISSION_DENIED message, or null when it is allowed.
   * Implementations that can say why override it; the default only says that it is refused.
   */
  default String refusal(String token, int chainId, ChunkId chunk, Access access) {
    return allows(token, chainId, chunk, access)
        ? null
        : "the token does not allow chunk " + chunk + " on chain " + chainId;
  }

  /** Allows everything: a single-tenant or test deployment. */
  static RequestAuthorizer allowAll() {
    return (token, chainId, chunk, access) -> true;
  }
}
