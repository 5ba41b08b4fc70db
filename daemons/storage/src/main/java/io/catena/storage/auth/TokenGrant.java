package io.catena.storage.auth;

import java.util.Set;

/** What a tenant token may touch: the chain tables of its tenant, or everything for an admin. */
public record TokenGrant(long tenantId, boolean admin, Set<Integer> chainTables) {
  public TokenGrant {
    chainTables = Set.copyOf(chainTables);
  }
}
