package io.catena.storage.auth;

import io.catena.protocol.chunk.InodeIds;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chunk.ChunkId;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Tenant isolation on the I/O path (docs/security-tenants.md). A client request is served only when
 * its token verifies and
 *
 * <ol>
 *   <li>the token's tenant may use a chain table that lists the chain (physical isolation), and
 *   <li>the chunk is a file chunk (inode(8) ‖ index(4)) of an inode of the token's tenant: the
 *       tenant is read from the inode id's high bits ({@link InodeIds}), without asking meta; an
 *       inode created before ids carried their tenant (tag 0) is looked up once in meta ({@link
 *       LegacyInodeOwners}).
 * </ol>
 *
 * Admin tokens (the system tenant's: operators and meta's chunk GC) may touch every chunk of every
 * chain; a token that does not verify touches none.
 */
public final class TenantChainAuthorizer implements RequestAuthorizer {

  private final TokenGrants grants;
  private final ChainTableIndex tables;
  private final LegacyInodeOwners legacy;

  public TenantChainAuthorizer(
      TokenGrants grants, ChainTableIndex tables, LegacyInodeOwners legacy) {
    this.grants = grants;
    this.tables = tables;
    this.legacy = legacy;
  }

  /** Without legacy lookups: chunks of inodes older than tenant-tagged ids are refused. */
  public TenantChainAuthorizer(TokenGrants grants, ChainTableIndex tables) {
    this(grants, tables, LegacyInodeOwners.none());
  }

  @Override
  public boolean allows(String token, int chainId, ChunkId chunk, Access access) {
    return refusal(token, chainId, chunk, access) == null;
  }

  @Override
  public String refusal(String token, int chainId, ChunkId chunk, Access access) {
    if (token == null || token.isEmpty()) {
      return "no tenant token: client I/O needs one";
    }
    Optional<TokenGrant> found = grants.grant(token);
    if (found.isEmpty()) {
      return "the token is unknown, revoked or expired";
    }
    TokenGrant grant = found.get();
    if (grant.admin()) {
      return null;
    }
    Set<Integer> chainTables = tables.tablesOf(chainId);
    if (Collections.disjoint(chainTables, grant.chainTables())) {
      return "tenant "
          + grant.tenantId()
          + " may not use chain "
          + chainId
          + ": no chain table of the tenant lists it";
    }
    OptionalLong inode = InodeIds.inodeOfChunk(chunk.toBytes());
    if (inode.isEmpty()) {
      return "chunk "
          + chunk
          + " is not a file chunk id (inode(8) + index(4)): tenant tokens reach only their"
          + " files' chunks";
    }
    OptionalLong owner = InodeIds.tenantOf(inode.getAsLong());
    if (owner.isPresent()) {
      return owner.getAsLong() == grant.tenantId()
          ? null
          : "chunk "
              + chunk
              + " belongs to inode "
              + inode.getAsLong()
              + " of tenant "
              + owner.getAsLong()
              + ", not to the token's tenant "
              + grant.tenantId();
    }
    Optional<Boolean> owns = legacy.owns(token, grant.tenantId(), inode.getAsLong());
    if (owns.isEmpty()) {
      return "chunk "
          + chunk
          + " belongs to inode "
          + inode.getAsLong()
          + " created before inode ids carried their tenant, and meta cannot be asked who owns it";
    }
    return owns.get()
        ? null
        : "chunk "
            + chunk
            + " belongs to inode "
            + inode.getAsLong()
            + ", which is not the token's tenant "
            + grant.tenantId()
            + "'s";
  }
}
