package io.catena.meta;

/**
 * Who makes a call, as derived from its token: the tenant whose namespace it sees, the uid/gid its
 * permission checks use (uid 0 is the tenant's root), and whether it administers tenants (tokens of
 * the system tenant). {@code expiresAtMillis} is the token's end when a rotation set one, else 0.
 */
public record Principal(
    long tenantId, int uid, int gid, long tokenId, boolean admin, long expiresAtMillis) {

  /** A principal whose token has no expiry. */
  public Principal(long tenantId, int uid, int gid, long tokenId, boolean admin) {
    this(tenantId, uid, gid, tokenId, admin, 0);
  }
}
