package io.catena.storage;

import io.catena.storage.chunk.ChunkId;

/**
 * Decides whether a tenant token may touch a chunk on a chain. Every client I/O (write, read,
 * remove) is checked before it reaches a target; chain-internal calls between storage daemons are
 * not. The meta-backed implementation (tenants and their chain tables) is wired at integration.
 */
@FunctionalInterface
public interface RequestAuthorizer {
  enum Access {
    READ,
    WRITE
  }

  /** Throws nothing; returns false to refuse with PERMISSION_DENIED. */
  boolean allows(String token, int chainId, ChunkId chunk, Access access);

  /** Allows everything: a single-tenant or test deployment. */
  static RequestAuthorizer allowAll() {
    return (token, chainId, chunk, access) -> true;
  }
}
