package io.catena.storage.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps verified grants for a while so the I/O path asks meta once per token and period, not per
 * request. A refused token is remembered for a shorter time (a token just created becomes usable
 * quickly). When meta cannot be reached, a grant that expired is still honoured for the stale
 * period: a meta outage must not stop storage I/O of tokens that were valid moments ago.
 */
public final class CachedTokenGrants implements TokenGrants {

  private static final Logger log = LoggerFactory.getLogger(CachedTokenGrants.class);
  private static final int MAX_ENTRIES = 65_536;

  /** Asks the authority; throws {@link GrantSourceUnavailableException} when it cannot answer. */
  @FunctionalInterface
  public interface Source {
    Optional<TokenGrant> verify(String token);
  }

  private record Entry(Optional<TokenGrant> grant, long expiresAtNanos, long staleUntilNanos) {}

  private final Source source;
  private final LongSupplier nanoClock;
  private final long grantTtl;
  private final long refusalTtl;
  private final long staleTtl;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public CachedTokenGrants(
      Source source,
      Duration grantTtl,
      Duration refusalTtl,
      Duration stale,
      LongSupplier nanoClock) {
    this.source = source;
    this.nanoClock = nanoClock;
    this.grantTtl = grantTtl.toNanos();
    this.refusalTtl = refusalTtl.toNanos();
    this.staleTtl = stale.toNanos();
  }

  /** 30 s for grants, 2 s for refusals, 5 minutes of grace while meta is unreachable. */
  public static CachedTokenGrants withDefaults(Source source) {
    return new CachedTokenGrants(
        source,
        Duration.ofSeconds(30),
        Duration.ofSeconds(2),
        Duration.ofMinutes(5),
        System::nanoTime);
  }

  @Override
  public Optional<TokenGrant> grant(String token) {
    long now = nanoClock.getAsLong();
    Entry cached = entries.get(token);
    if (cached != null && now - cached.expiresAtNanos() < 0) {
      return cached.grant();
    }
    try {
      Optional<TokenGrant> fresh = source.verify(token);
      long ttl = fresh.isPresent() ? grantTtl : refusalTtl;
      if (entries.size() >= MAX_ENTRIES) {
        entries.values().removeIf(e -> now - e.staleUntilNanos() >= 0);
      }
      if (entries.size() < MAX_ENTRIES) {
        entries.put(token, new Entry(fresh, now + ttl, now + ttl + staleTtl));
      }
      return fresh;
    } catch (GrantSourceUnavailableException e) {
      if (cached != null && cached.grant().isPresent() && now - cached.staleUntilNanos() < 0) {
        log.warn("token check unavailable ({}); honouring a recent grant", e.getMessage());
        return cached.grant();
      }
      log.warn("token check unavailable ({}); refusing", e.getMessage());
      return Optional.empty();
    }
  }
}
