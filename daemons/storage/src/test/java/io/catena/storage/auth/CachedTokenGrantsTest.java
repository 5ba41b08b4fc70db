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
}
