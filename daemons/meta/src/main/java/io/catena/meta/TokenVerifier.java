package io.catena.meta;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies tokens for every call, caching each good token for a short time so a call costs no extra
 * read. A revocation on this server takes effect at once; on other meta servers within the cache
 * time. The gateway and storage verify through meta's VerifyToken call with the same rule.
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
    if (cached != null && now - cached.untilNanos() < 0) {
      return cached.principal();
    }
    Principal principal = registry.verify(token);
    if (cache.size() > 100_000) {
      cache.clear();
    }
    cache.put(token, new Cached(principal, now + ttlNanos));
    return principal;
  }

  /** Drops cached entries of one token (after a revocation or rotation here). */
  public void forget(long tokenId) {
    cache.values().removeIf(c -> c.principal().tokenId() == tokenId);
  }
}
