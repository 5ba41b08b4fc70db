package io.catena.meta;

import java.util.List;

/**
 * A tenant: its namespace is separate from every other's, its files use only its chain tables
 * (physical isolation; the first is the default), and its quota is enforced in the transaction of
 * every change.
 */
public record Tenant(
    long id,
    String name,
    Quota quota,
    List<Integer> chainTableIds,
    int defaultStripeSize,
    long rootInodeId) {

  /** The system tenant: its tokens administer tenants. */
  public static final long SYSTEM_ID = 0;

  public Tenant {
    chainTableIds = List.copyOf(chainTableIds);
  }

  Tenant withQuota(Quota newQuota) {
    return new Tenant(id, name, newQuota, chainTableIds, defaultStripeSize, rootInodeId);
  }
}
