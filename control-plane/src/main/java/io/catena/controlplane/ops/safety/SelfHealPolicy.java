package io.catena.controlplane.ops.safety;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which OFFLINE targets self-healing repairs now: those OFFLINE for at least the timeout, not
 * already being repaired, longest-offline first, as long as fewer than {@code maxConcurrent}
 * repairs run and fewer than {@code perHour} were started in the last hour. Nothing while paused.
 */
public final class SelfHealPolicy {

  /** The limits. */
  public record Limits(Duration offlineTimeout, int maxConcurrent, int perHour) {
    public Limits {
      if (offlineTimeout.isNegative() || maxConcurrent < 0 || perHour < 0) {
        throw new IllegalArgumentException("self-healing limits must be >= 0");
      }
    }
  }

  private SelfHealPolicy() {}

  /**
   * @param offlineSinceMs each OFFLINE chain target and when it was first seen OFFLINE
   * @param active targets being repaired now
   * @param startsMs when recent repairs started
   */
  public static List<Long> due(
      Map<Long, Long> offlineSinceMs,
      long nowMs,
      Limits limits,
      Set<Long> active,
      List<Long> startsMs,
      boolean paused) {
    if (paused) {
      return List.of();
    }
    long lastHour =
        startsMs.stream().filter(t -> t > nowMs - Duration.ofHours(1).toMillis()).count();
    long room =
        Math.min((long) limits.maxConcurrent() - active.size(), (long) limits.perHour() - lastHour);
    if (room <= 0) {
      return List.of();
    }
    List<Map.Entry<Long, Long>> candidates = new ArrayList<>();
    for (Map.Entry<Long, Long> e : offlineSinceMs.entrySet()) {
      if (!active.contains(e.getKey())
          && nowMs - e.getValue() >= limits.offlineTimeout().toMillis()) {
        candidates.add(e);
      }
    }
    candidates.sort(
        Map.Entry.<Long, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    return candidates.stream().limit(room).map(Map.Entry::getKey).toList();
  }
}
