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

  @Override
  public IssuedToken rotateToken(long tokenId) {
    Long tenant = tokenTenant.remove(tokenId);
    if (tenant == null) {
      throw new TenantException(TenantException.Reason.NOT_FOUND, "no token " + tokenId, null);
    }
    return issueToken(tenant);
  }
}
