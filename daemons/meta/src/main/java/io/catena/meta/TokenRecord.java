package io.catena.meta;

/**
 * A stored token: its identity and a salted SHA-256 of its secret, never the secret itself. {@code
 * expiresAtMillis} is 0 for no expiry (set when a rotation grants the old token a grace).
 */
record TokenRecord(
    long tokenId,
    long tenantId,
    int uid,
    int gid,
    byte[] salt,
    byte[] hash,
    long createdMillis,
    long expiresAtMillis,
    boolean revoked) {

  TokenRecord expiringAt(long millis) {
    return new TokenRecord(tokenId, tenantId, uid, gid, salt, hash, createdMillis, millis, revoked);
  }

  TokenRecord revokedNow() {
    return new TokenRecord(
        tokenId, tenantId, uid, gid, salt, hash, createdMillis, expiresAtMillis, true);
  }

  boolean validAt(long nowMillis) {
    return !revoked && (expiresAtMillis == 0 || nowMillis < expiresAtMillis);
  }
}
