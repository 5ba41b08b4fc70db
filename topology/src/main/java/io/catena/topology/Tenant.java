package io.catena.topology;

import java.util.Set;
import java.util.TreeSet;

/**
 * A tenant and the chain tables its files may use. Giving a tenant tables of its own, built on
 * targets no other tenant uses, isolates its data physically.
 */
public record Tenant(TenantId id, Set<ChainTableId> chainTables) {
  public Tenant {
    if (id == null) {
      throw new IllegalArgumentException("tenant id is missing");
    }
    chainTables =
        chainTables == null
            ? Set.of()
            : java.util.Collections.unmodifiableSet(new TreeSet<>(chainTables));
  }
}
