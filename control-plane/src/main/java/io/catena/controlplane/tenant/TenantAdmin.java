package io.catena.controlplane.tenant;

import java.util.List;

/**
 * What the control plane asks of meta about tenants. {@link GrpcTenantAdmin} calls meta's
 * TenantService with the system tenant's admin token; tests use an in-memory fake. Refusals are
 * {@link TenantException}s.
 */
public interface TenantAdmin {

  List<TenantRecord> list();

  /** Creates a tenant allowed on {@code chainTables} (the first is its default). */
  TenantRecord create(String name, long quotaBytes, long quotaFiles, List<Integer> chainTables);

  TenantRecord setQuota(long tenantId, long quotaBytes, long quotaFiles);

  /** Issues a token for the tenant's root user; the secret is in the answer only. */
  IssuedToken issueToken(long tenantId);

  /** Replaces a token: the new one is returned, the old one stops working at once. */
  IssuedToken rotateToken(long tokenId);

  /**
   * Deletes a tenant and revokes its tokens; refused ({@link TenantException.Reason#REFUSED}) while
   * it has files or KV entries unless {@code purge}, which removes them with it.
   */
  DeletedTenant delete(long tenantId, boolean purge);

  /** A tenant as meta holds it, with its usage. */
  record TenantRecord(
      long id,
      String name,
      long quotaBytes,
      long quotaFiles,
      long usedBytes,
      long files,
      List<Integer> chainTables) {
    public TenantRecord {
      chainTables = List.copyOf(chainTables);
    }
  }

  /** What a deletion removed: files whose chunks went to meta's GC, KV entries, tokens revoked. */
  record DeletedTenant(
      TenantRecord tenant, long filesHandedToGc, long kvEntriesRemoved, int tokensRevoked) {}

  /** A token: its id (not secret) and its secret. */
  record IssuedToken(long tokenId, String token) {}
}
