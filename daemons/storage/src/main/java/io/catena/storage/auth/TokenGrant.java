package io.catena.storage.auth;

import java.util.Set;

/**
 * What a tenant token may touch: the chain tables of its tenant and the chunks of its tenant's
 * inodes, or everything for an admin. {@code tokenId} names the token in meta's revocation stream;
 * {@code expiresAtMillis} (wall clock, 0 for none) is the end a rotation gave the token.
 */
public record TokenGrant(
    long tenantId, long tokenId, boolean admin, Set<Integer> chainTables, long expiresAtMillis) {
  public TokenGrant {
    chainTables = Set.copyOf(chainTables);
  }

  /** A grant without token id or expiry (tests). */
  public TokenGrant(long tenantId, boolean admin, Set<Integer> chainTables) {
    this(tenantId, 0, admin, chainTables, 0);
  }
}
