package io.catena.controlplane.reconcile;

import io.catena.controlplane.tenant.TenantAdmin;
import io.catena.controlplane.tenant.TenantException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** meta's tenants in memory. */
public final class FakeTenants implements TenantAdmin {

  final Map<String, TenantRecord> tenants = new LinkedHashMap<>();
  public final Map<Long, Long> tokenTenant = new LinkedHashMap<>();
  long nextToken = 1;

  @Override
  public List<TenantRecord> list() {
    return new ArrayList<>(tenants.values());
  }

  @Override
  public TenantRecord create(String name, long quotaBytes, long quotaFiles, List<Integer> tables) {
    if (tenants.containsKey(name)) {
      throw new TenantException(
          TenantException.Reason.ALREADY_EXISTS, "tenant " + name + " exists", null);
    }
    TenantRecord t =
        new TenantRecord(tenants.size() + 1, name, quotaBytes, quotaFiles, 0, 0, tables);
    tenants.put(name, t);
    return t;
  }

  @Override
  public TenantRecord setQuota(long tenantId, long quotaBytes, long quotaFiles) {
    for (TenantRecord t : tenants.values()) {
      if (t.id() == tenantId) {
        TenantRecord n =
            new TenantRecord(t.id(), t.name(), quotaBytes, quotaFiles, 0, 0, t.chainTables());
        tenants.put(t.name(), n);
        return n;
      }
    }
    throw new TenantException(TenantException.Reason.NOT_FOUND, "no tenant " + tenantId, null);
  }

  @Override
  public IssuedToken issueToken(long tenantId) {
    long id = nextToken++;
    tokenTenant.put(id, tenantId);
    return new IssuedToken(id, "ctn1." + id + ".secret");
  }

  /** Names of tenants that hold data (files or KV entries): deleting them needs purge. */
  public final java.util.Set<String> holdingData = new java.util.HashSet<>();

  @Override
  public DeletedTenant delete(long tenantId, boolean purge) {
    TenantRecord t =
        tenants.values().stream()
            .filter(r -> r.id() == tenantId)
            .findFirst()
            .orElseThrow(
                () ->
                    new TenantException(
                        TenantException.Reason.NOT_FOUND, "no tenant " + tenantId, null));
    if (holdingData.contains(t.name()) && !purge) {
      throw new TenantException(
          TenantException.Reason.REFUSED,
          "meta: FAILED_PRECONDITION tenant " + t.name() + " still has files",
          null);
    }
    tenants.remove(t.name());
    int revoked = 0;
    for (var it = tokenTenant.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() == tenantId) {
        it.remove();
        revoked++;
      }
    }
    return new DeletedTenant(t, holdingData.remove(t.name()) ? 1 : 0, 0, revoked);
  }

  @Override
  public IssuedToken rotateToken(long tokenId) {
    Long tenant = tokenTenant.remove(tokenId);
    if (tenant == null) {
      throw new TenantException(TenantException.Reason.NOT_FOUND, "no token " + tokenId, null);
    }
    return issueToken(tenant);
  }
}
