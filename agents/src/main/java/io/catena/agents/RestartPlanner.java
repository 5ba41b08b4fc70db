package io.catena.agents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what follows a crash. Pure: the supervisor keeps the history and acts on the decision.
 */
public final class RestartPlanner {

  private RestartPlanner() {}

  /** The crash history the planner needs: recent crash times and the current run of crashes. */
  public record CrashHistory(List<Instant> recentCrashes, int consecutiveCrashes) {
    public static final CrashHistory EMPTY = new CrashHistory(List.of(), 0);

    public CrashHistory {
      recentCrashes = List.copyOf(recentCrashes);
    }
  }

  /** What the supervisor does next, with the history to keep. */
  public sealed interface Decision {
    CrashHistory history();

    /** Start again after {@code delay}. */
    record RestartAfter(Duration delay, CrashHistory history) implements Decision {}

    /** Too many crashes in the window: stay down until someone starts it. */
    record HoldBack(int crashesInWindow, CrashHistory history) implements Decision {}
  }

  /**
   * @param runTime how long the process that just crashed had been running
   */
  public static Decision afterCrash(
      BackoffPolicy policy, CrashHistory history, Duration runTime, Instant now) {
    int consecutive =
        runTime.compareTo(policy.stableAfter()) >= 0 ? 1 : history.consecutiveCrashes() + 1;
    Instant windowStart = now.minus(policy.flappingWindow());
    List<Instant> recent = new ArrayList<>();
    for (Instant crash : history.recentCrashes()) {
      if (crash.isAfter(windowStart)) {
        recent.add(crash);
      }
    }
    recent.add(now);
    CrashHistory next = new CrashHistory(recent, consecutive);
    if (recent.size() >= policy.flappingCrashes()) {
      return new Decision.HoldBack(recent.size(), next);
    }
    return new Decision.RestartAfter(backoff(policy, consecutive), next);
  }

  /** initial × 2^(consecutive − 1), capped at max. */
  static Duration backoff(BackoffPolicy policy, int consecutive) {
    Duration delay = policy.initial();
    for (int i = 1; i < consecutive && delay.compareTo(policy.max()) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(policy.max()) > 0 ? policy.max() : delay;
  }
}
