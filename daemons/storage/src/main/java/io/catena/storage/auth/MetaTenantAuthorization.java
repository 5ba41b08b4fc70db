package io.catena.storage.auth;

import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chunk.ChunkId;
import io.grpc.ManagedChannel;
import java.time.Duration;

/**
 * The authorizer of a storage daemon joined to meta: {@link TenantChainAuthorizer} over grants
 * verified by meta ({@link MetaTokenSource}, cached), revocations pushed by meta ({@link
 * RevocationWatcher}) and legacy inode owners looked up in meta ({@link LegacyInodeOwners}). The
 * channel stays the caller's.
 */
public final class MetaTenantAuthorization implements RequestAuthorizer, AutoCloseable {

  private final TenantChainAuthorizer authorizer;
  private final RevocationWatcher watcher;
  private final CachedTokenGrants grants;

  private MetaTenantAuthorization(
      TenantChainAuthorizer authorizer, RevocationWatcher watcher, CachedTokenGrants grants) {
    this.authorizer = authorizer;
    this.watcher = watcher;
    this.grants = grants;
  }

  /**
   * Verifies through {@code meta}, follows its revocation stream, checks chains in {@code tables}.
   */
  public static MetaTenantAuthorization start(ManagedChannel meta, ChainTableIndex tables) {
    CachedTokenGrants grants =
        CachedTokenGrants.withDefaults(new MetaTokenSource(meta, Duration.ofSeconds(5)));
    RevocationWatcher watcher =
        new RevocationWatcher(meta, grants, RevocationWatcher.LIVE_WINDOW).start();
    TenantChainAuthorizer authorizer =
        new TenantChainAuthorizer(
            grants, tables, LegacyInodeOwners.fromMeta(meta, Duration.ofSeconds(5)));
    return new MetaTenantAuthorization(authorizer, watcher, grants);
  }

  public RevocationWatcher revocations() {
    return watcher;
  }

  public CachedTokenGrants grants() {
    return grants;
  }

  @Override
  public boolean allows(String token, int chainId, ChunkId chunk, Access access) {
    return authorizer.allows(token, chainId, chunk, access);
  }

  @Override
  public String refusal(String token, int chainId, ChunkId chunk, Access access) {
    return authorizer.refusal(token, chainId, chunk, access);
  }

  @Override
  public void close() {
    watcher.close();
  }
}
