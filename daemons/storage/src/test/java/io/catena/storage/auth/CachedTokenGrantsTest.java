package io.catena.storage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedTokenGrantsTest {

  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicBoolean metaDown = new AtomicBoolean();
  private volatile boolean valid = true;

  private final CachedTokenGrants grants =
      new CachedTokenGrants(
          token -> {
            calls.incrementAndGet();
            if (metaDown.get()) {
              throw new GrantSourceUnavailableException("down", null);
            }
            return valid ? Optional.of(new TokenGrant(7, false, Set.of(1))) : Optional.empty();
          },
          Duration.ofSeconds(30),
          Duration.ofSeconds(2),
          Duration.ofMinutes(5),
          now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aGrantIsAskedForOncePerPeriod() {
    assertThat(grants.grant("t")).isPresent();
    advance(Duration.ofSeconds(29));
    assertThat(grants.grant("t")).isPresent();
    assertThat(calls).hasValue(1);
    advance(Duration.ofSeconds(2));
    assertThat(grants.grant("t")).isPresent();
    assertThat(calls).hasValue(2);
  }

  @Test
  void aRevokedTokenStopsWorkingWhenItsGrantExpires() {
    assertThat(grants.grant("t")).isPresent();
    valid = false;
    advance(Duration.ofSeconds(31));
    assertThat(grants.grant("t")).isEmpty();
  }

  @Test
  void aRefusalIsRememberedBriefly() {
    valid = false;
    assertThat(grants.grant("t")).isEmpty();
    valid = true;
    assertThat(grants.grant("t")).isEmpty();
    advance(Duration.ofSeconds(3));
    assertThat(grants.grant("t")).isPresent();
  }

  @Test
  void aRecentGrantOutlivesAMetaOutageForTheStalePeriodOnly() {
    assertThat(grants.grant("t")).isPresent();
    metaDown.set(true);
    advance(Duration.ofMinutes(2));
    assertThat(grants.grant("t")).as("expired but within grace").isPresent();
    advance(Duration.ofMinutes(4));
    assertThat(grants.grant("t")).as("past grace").isEmpty();
    assertThat(grants.grant("never-seen")).as("unknown while meta is down").isEmpty();
  }

  // ---------------------------------------------------------------- pushed revocations

  private final AtomicLong wall = new AtomicLong(1_000_000);
  private final AtomicBoolean pushLive = new AtomicBoolean(true);
  private volatile long expiresAt;

  /** Grants of token id 42 (tenant 7), with push attached. */
  private CachedTokenGrants pushed() {
    CachedTokenGrants g =
        new CachedTokenGrants(
            token -> {
              calls.incrementAndGet();
              if (metaDown.get()) {
                throw new GrantSourceUnavailableException("down", null);
              }
              return valid
                  ? Optional.of(new TokenGrant(7, 42, false, Set.of(1), expiresAt))
                  : Optional.empty();
            },
            Duration.ofSeconds(30),
            Duration.ofSeconds(2),
            Duration.ofMinutes(5),
            Duration.ofSeconds(2),
            now::get,
            wall::get);
    g.usePush(pushLive::get);
    return g;
  }

  @Test
  void aPushedRevocationDropsTheGrantAtOnce() {
    CachedTokenGrants g = pushed();
    assertThat(g.grant("t")).isPresent();
    valid = false;
    g.revokeTokens(java.util.List.of(41L));
    assertThat(g.grant("t")).as("another token's revocation").isPresent();
    g.revokeTokens(java.util.List.of(42L));
    assertThat(g.grant("t")).as("no time passed, yet refused").isEmpty();
  }

  @Test
  void aRevokedTokenIsNotHonouredByTheOutageGrace() {
    CachedTokenGrants g = pushed();
    assertThat(g.grant("t")).isPresent();
    g.revokeTokens(java.util.List.of(42L));
    metaDown.set(true);
    assertThat(g.grant("t")).isEmpty();
  }

  @Test
  void whileThePushIsLiveAGrantLastsItsTtl() {
    CachedTokenGrants g = pushed();
    assertThat(g.grant("t")).isPresent();
    advance(Duration.ofSeconds(29));
    assertThat(g.grant("t")).isPresent();
    assertThat(calls).hasValue(1);
  }

  @Test
  void whileThePushIsDownAGrantIsReverifiedAfterTwoSeconds() {
    CachedTokenGrants g = pushed();
    assertThat(g.grant("t")).isPresent();
    pushLive.set(false);
    advance(Duration.ofMillis(1500));
    assertThat(g.grant("t")).isPresent();
    assertThat(calls).hasValue(1);
    valid = false;
    advance(Duration.ofMillis(600));
    assertThat(g.grant("t")).as("revoked while the push was down").isEmpty();
    assertThat(calls).hasValue(2);
  }

  @Test
  void aRevocationPushedDuringVerificationKeepsItsAnswerOutOfTheCache() {
    java.util.concurrent.atomic.AtomicReference<CachedTokenGrants> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    CachedTokenGrants g =
        new CachedTokenGrants(
            token -> {
              calls.incrementAndGet();
              if (calls.get() == 1) {
                // meta answered, then the revocation arrived before the answer was cached
                self.get().revokeTokens(java.util.List.of(42L));
              }
              return Optional.of(new TokenGrant(7, 42, false, Set.of(1), 0));
            },
            Duration.ofSeconds(30),
            Duration.ofSeconds(2),
            Duration.ofMinutes(5),
            Duration.ofSeconds(2),
            now::get,
            wall::get);
    self.set(g);
    assertThat(g.grant("t")).isPresent();
    assertThat(g.grant("t")).isPresent();
    assertThat(calls).as("the first answer was not cached").hasValue(2);
  }

  @Test
  void aRotatedTokenIsNotUsedPastItsExpiryEvenWhileMetaIsDown() {
    expiresAt = wall.get() + 10_000;
    CachedTokenGrants g = pushed();
    assertThat(g.grant("t")).isPresent();
    metaDown.set(true);
    wall.addAndGet(9_000);
    assertThat(g.grant("t")).isPresent();
    wall.addAndGet(1_000);
    assertThat(g.grant("t")).isEmpty();
  }
}
