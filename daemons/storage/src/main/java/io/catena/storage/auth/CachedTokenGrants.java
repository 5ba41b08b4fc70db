package io.catena.storage.auth;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps verified grants for a while so the I/O path asks meta once per token and period, not per
 * request. A refused token is remembered for a shorter time (a token just created becomes usable
 * quickly). When meta cannot be reached, a grant that expired is still honoured for the stale
 * period: a meta outage must not stop storage I/O of tokens that were valid moments ago.
 *
 * <p>Revocations are pushed ({@link RevocationWatcher}): {@link #revokeTokens} drops a token's
 * grant at once, so the next request re-verifies it. While a push stream is attached but not live
 * (meta unreachable, stream broken), a grant is trusted only for {@code unpushedTtl} after it was
 * verified, so a revocation the stream could not deliver still takes effect within that time plus
 * the stream's liveness window (docs/security-tenants.md). A grant whose token has an expiry (a
 * rotation with grace) is never used past it, not even while meta is unreachable.
 */
public final class CachedTokenGrants implements TokenGrants {

  private static final Logger log = LoggerFactory.getLogger(CachedTokenGrants.class);
  private static final int MAX_ENTRIES = 65_536;

  /** Asks the authority; throws {@link GrantSourceUnavailableException} when it cannot answer. */
  @FunctionalInterface
  public interface Source {
    Optional<TokenGrant> verify(String token);
  }

  /** Whether revocations are being pushed right now. */
  @FunctionalInterface
  public interface Push {
    boolean live();
  }

  private record Entry(
      Optional<TokenGrant> grant,
      long verifiedAtNanos,
      long expiresAtNanos,
      long staleUntilNanos) {}

  private final Source source;
  private final LongSupplier nanoClock;
  private final LongSupplier wallMillis;
  private final long grantTtl;
  private final long refusalTtl;
  private final long staleTtl;
  private final long unpushedTtl;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private volatile Push push;

  public CachedTokenGrants(
      Source source,
      Duration grantTtl,
      Duration refusalTtl,
      Duration stale,
      LongSupplier nanoClock) {
    this(source, grantTtl, refusalTtl, stale, refusalTtl, nanoClock, System::currentTimeMillis);
  }

  public CachedTokenGrants(
      Source source,
      Duration grantTtl,
      Duration refusalTtl,
      Duration stale,
      Duration unpushedTtl,
      LongSupplier nanoClock,
      LongSupplier wallMillis) {
    this.source = source;
    this.nanoClock = nanoClock;
    this.wallMillis = wallMillis;
    this.grantTtl = grantTtl.toNanos();
    this.refusalTtl = refusalTtl.toNanos();
    this.staleTtl = stale.toNanos();
    this.unpushedTtl = unpushedTtl.toNanos();
  }

  /**
   * 30 s for grants (pushed revocations cut it short), 2 s for refusals and for grants while the
   * push stream is down, 5 minutes of grace while meta is unreachable.
   */
  public static CachedTokenGrants withDefaults(Source source) {
    return new CachedTokenGrants(
        source,
        Duration.ofSeconds(30),
        Duration.ofSeconds(2),
        Duration.ofMinutes(5),
        Duration.ofSeconds(2),
        System::nanoTime,
        System::currentTimeMillis);
  }

  /** Attaches the revocation stream; from then on grants depend on it being live. */
  public void usePush(Push push) {
    this.push = push;
  }

  /** Drops the grants of these tokens (pushed revocations); the next request re-verifies. */
  public void revokeTokens(Collection<Long> tokenIds) {
    if (tokenIds.isEmpty()) {
      return;
    }
    Set<Long> ids = Set.copyOf(tokenIds);
    generation.incrementAndGet();
    entries
        .values()
        .removeIf(e -> e.grant().isPresent() && ids.contains(e.grant().get().tokenId()));
  }

  /** Drops every grant (the revocation stream lost events). */
  public void clear() {
    generation.incrementAndGet();
    entries.clear();
  }

  private boolean pastExpiry(Optional<TokenGrant> grant) {
    return grant.isPresent()
        && grant.get().expiresAtMillis() != 0
        && wallMillis.getAsLong() >= grant.get().expiresAtMillis();
  }

  @Override
  public Optional<TokenGrant> grant(String token) {
    long now = nanoClock.getAsLong();
    Entry cached = entries.get(token);
    if (cached != null && now - cached.expiresAtNanos() < 0 && !pastExpiry(cached.grant())) {
      Push p = push;
      if (p == null
          || cached.grant().isEmpty()
          || p.live()
          || now - cached.verifiedAtNanos() < unpushedTtl) {
        return cached.grant();
      }
    }
    long gen = generation.get();
    try {
      Optional<TokenGrant> fresh = source.verify(token);
      if (pastExpiry(fresh)) {
        fresh = Optional.empty();
      }
      long ttl = fresh.isPresent() ? grantTtl : refusalTtl;
      if (entries.size() >= MAX_ENTRIES) {
        entries.values().removeIf(e -> now - e.staleUntilNanos() >= 0);
      }
      // a revocation pushed while we asked may postdate meta's answer: use it once, keep nothing
      if (entries.size() < MAX_ENTRIES && generation.get() == gen) {
        entries.put(token, new Entry(fresh, now, now + ttl, now + ttl + staleTtl));
      }
      return fresh;
    } catch (GrantSourceUnavailableException e) {
      if (cached != null
          && cached.grant().isPresent()
          && now - cached.staleUntilNanos() < 0
          && !pastExpiry(cached.grant())) {
        log.warn("token check unavailable ({}); honouring a recent grant", e.getMessage());
        return cached.grant();
      }
      log.warn("token check unavailable ({}); refusing", e.getMessage());
      return Optional.empty();
    }
  }
}
