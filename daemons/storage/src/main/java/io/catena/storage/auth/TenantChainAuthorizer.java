package io.catena.storage.auth;

import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chunk.ChunkId;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;

/**
 * Physical tenant isolation on the I/O path: a client request is served only when its token's
 * tenant may use a chain table that lists the chain. Admin tokens may touch every chain; a token
 * that does not verify touches none.
 */
public final class TenantChainAuthorizer implements RequestAuthorizer {

  private final TokenGrants grants;
  private final ChainTableIndex tables;

  public TenantChainAuthorizer(TokenGrants grants, ChainTableIndex tables) {
    this.grants = grants;
    this.tables = tables;
  }

  @Override
  public boolean allows(String token, int chainId, ChunkId chunk, Access access) {
    if (token == null || token.isEmpty()) {
      return false;
    }
    Optional<TokenGrant> grant = grants.grant(token);
    if (grant.isEmpty()) {
      return false;
    }
    if (grant.get().admin()) {
      return true;
    }
    Set<Integer> chainTables = tables.tablesOf(chainId);
    return !Collections.disjoint(chainTables, grant.get().chainTables());
  }
}
