package io.catena.meta;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies tokens for every call, caching each good token for a short time so a call costs no extra
 * read. A revocation on this server takes effect at once; on other meta servers within the cache
 * time, or sooner: every meta server drops a token its {@link RevocationFeed} reports. A cached
 * token whose rotation set an expiry is not used past it. The gateway and storage verify through
 * meta's VerifyToken call with the same rule.
 */
public final class TokenVerifier {

  private record Cached(Principal principal, long untilNanos) {}

  private final TenantRegistry registry;
  private final long ttlNanos;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public TokenVerifier(TenantRegistry registry, Duration ttl) {
    this.registry = registry;
    this.ttlNanos = ttl.toNanos();
  }

  public Principal verify(String token) {
    long now = System.nanoTime();
    Cached cached = cache.get(token);
    if (cached != null && now - cached.untilNanos() < 0 && !expired(cached.principal())) {
      return cached.principal();
    }
    Principal principal = registry.verify(token);
    if (cache.size() > 100_000) {
      cache.clear();
    }
    cache.put(token, new Cached(principal, now + ttlNanos));
    return principal;
  }

  private static boolean expired(Principal p) {
    return p.expiresAtMillis() != 0 && System.currentTimeMillis() >= p.expiresAtMillis();
  }

  /** Drops cached entries of one token (after a revocation or rotation here). */
  public void forget(long tokenId) {
    cache.values().removeIf(c -> c.principal().tokenId() == tokenId);
  }
}
