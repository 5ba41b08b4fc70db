package io.catena.meta;

/**
 * Who makes a call, as derived from its token: the tenant whose namespace it sees, the uid/gid its
 * permission checks use (uid 0 is the tenant's root), and whether it administers tenants (tokens of
 * the system tenant).
 */
public record Principal(long tenantId, int uid, int gid, long tokenId, boolean admin) {}
