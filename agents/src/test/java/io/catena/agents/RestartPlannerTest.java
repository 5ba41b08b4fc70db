package io.catena.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.agents.RestartPlanner.CrashHistory;
import io.catena.agents.RestartPlanner.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartPlannerTest {

  private static final BackoffPolicy POLICY =
      new BackoffPolicy(
          Duration.ofSeconds(1),
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          5,
          Duration.ofMinutes(5));
  private static final Instant NOW = Instant.parse("2026-11-25T06:00:00Z");

  @ParameterizedTest(name = "crash #{0} in a row waits {1} s")
  @CsvSource({"1,1", "2,2", "3,4", "4,8", "5,16", "6,32", "7,60", "8,60", "40,60"})
  void backoffDoublesFromInitialUpToMax(int consecutive, long seconds) {
    assertThat(RestartPlanner.backoff(POLICY, consecutive)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void aQuickCrashAfterEarlierOnesDoublesTheDelay() {
    CrashHistory history = new CrashHistory(List.of(NOW.minusSeconds(10)), 1);

    Decision decision = RestartPlanner.afterCrash(POLICY, history, Duration.ofSeconds(2), NOW);

    assertThat(decision).isInstanceOf(Decision.RestartAfter.class);
    assertThat(((Decision.RestartAfter) decision).delay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(decision.history().consecutiveCrashes()).isEqualTo(2);
    assertThat(decision.history().recentCrashes()).containsExactly(NOW.minusSeconds(10), NOW);
  }

  @Test
  void aCrashAfterAStableRunStartsTheBackoffOver() {
    CrashHistory history = new CrashHistory(List.of(NOW.minusSeconds(100)), 6);

    Decision decision = RestartPlanner.afterCrash(POLICY, history, Duration.ofSeconds(30), NOW);

    assertThat(((Decision.RestartAfter) decision).delay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(decision.history().consecutiveCrashes()).isEqualTo(1);
  }

  @Test
  void theThresholdthCrashWithinTheWindowHoldsTheDaemonBack() {
    CrashHistory history =
        new CrashHistory(
            List.of(
                NOW.minusSeconds(200),
                NOW.minusSeconds(100),
                NOW.minusSeconds(50),
                NOW.minusSeconds(10)),
            4);

    Decision decision = RestartPlanner.afterCrash(POLICY, history, Duration.ofSeconds(1), NOW);

    assertThat(decision).isInstanceOf(Decision.HoldBack.class);
    assertThat(((Decision.HoldBack) decision).crashesInWindow()).isEqualTo(5);
  }

  @Test
  void crashesOlderThanTheWindowAreForgotten() {
    CrashHistory history =
        new CrashHistory(
            List.of(
                NOW.minusSeconds(900),
                NOW.minusSeconds(800),
                NOW.minusSeconds(700),
                NOW.minusSeconds(10)),
            4);

    Decision decision = RestartPlanner.afterCrash(POLICY, history, Duration.ofSeconds(1), NOW);

    assertThat(decision).isInstanceOf(Decision.RestartAfter.class);
    assertThat(decision.history().recentCrashes()).containsExactly(NOW.minusSeconds(10), NOW);
  }

  @Test
  void aThresholdOfOneHoldsBackAtTheFirstCrash() {
    BackoffPolicy strict =
        new BackoffPolicy(
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            1,
            Duration.ofMinutes(1));

    assertThat(RestartPlanner.afterCrash(strict, CrashHistory.EMPTY, Duration.ZERO, NOW))
        .isInstanceOf(Decision.HoldBack.class);
  }
}
