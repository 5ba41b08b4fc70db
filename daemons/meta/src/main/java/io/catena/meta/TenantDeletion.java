package io.catena.meta;

import java.util.Optional;

/**
 * Whether a tenant may be deleted, from what it still holds. A delete without purge must not lose
 * data: it is refused while the tenant has files (anything under its root besides the KV index's
 * slab directory) or KV entries. With purge, everything goes. The system tenant never goes.
 */
final class TenantDeletion {

  private TenantDeletion() {}

  /** What the tenant holds, as deletion judges it. */
  record Contents(boolean files, boolean kvEntries) {}

  /** Why deleting is refused, or empty when it may go ahead. */
  static Optional<String> refusal(Tenant tenant, Contents contents, boolean purge) {
    if (tenant.id() == Tenant.SYSTEM_ID) {
      return Optional.of("the system tenant cannot be deleted");
    }
    if (purge) {
      return Optional.empty();
    }
    String holds =
        contents.files() && contents.kvEntries()
            ? "files and KV entries"
            : contents.files() ? "files" : contents.kvEntries() ? "KV entries" : null;
    return holds == null
        ? Optional.empty()
        : Optional.of(
            "tenant "
                + tenant.name()
                + " still has "
                + holds
                + "; remove them first, or delete with purge to remove them with the tenant");
  }
}
