package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which pod a rolling upgrade restarts next, if any: one pod at a time, only when every pod is
 * ready; storage first, then meta, then mgmtd with the primary last; a storage pod only when every
 * chain it serves keeps at least R−1 serving replicas elsewhere.
 */
public final class RollPlanner {
  private RollPlanner() {}

  /** A daemon pod: its kind and ordinal, whether it runs the current template, and is Ready. */
  public record PodState(
      String name, DaemonKind kind, int ordinal, boolean current, boolean ready, int nodeId) {}

  /** The next step of the roll. */
  public sealed interface Decision {
    /** Delete this pod; its StatefulSet recreates it from the new template. */
    record Restart(String pod, String why) implements Decision {}

    /** Nothing may be restarted now. */
    record Hold(String why) implements Decision {}

    /** Every pod runs the current template. */
    record Finished() implements Decision {}
  }

  /**
   * @param servingElsewhere for each storage node id, the fewest serving replicas outside that node
   *     among the chains it holds a replica of (absent: the node holds none)
   */
  public static Decision next(
      List<PodState> pods,
      String mgmtdPrimaryPod,
      int replicationFactor,
      Map<Integer, Integer> servingElsewhere) {
    List<PodState> old = pods.stream().filter(p -> !p.current()).toList();
    if (old.isEmpty()) {
      return new Decision.Finished();
    }
    Optional<PodState> unready = pods.stream().filter(p -> !p.ready()).findFirst();
    if (unready.isPresent()) {
      return new Decision.Hold(unready.get().name() + " is not ready");
    }
    PodState next =
        old.stream()
            .min(
                Comparator.comparingInt((PodState p) -> order(p.kind()))
                    .thenComparing(p -> p.name().equals(mgmtdPrimaryPod))
                    .thenComparingInt(PodState::ordinal))
            .orElseThrow();
    if (next.kind() == DaemonKind.STORAGE) {
      Integer elsewhere = servingElsewhere.get(next.nodeId());
      int needed = Math.max(replicationFactor - 1, 1);
      if (elsewhere != null && elsewhere < needed) {
        return new Decision.Hold(
            "restarting "
                + next.name()
                + " would leave a chain with "
                + elsewhere
                + " serving replicas (at least "
                + needed
                + " must serve)");
      }
    }
    boolean primary = next.name().equals(mgmtdPrimaryPod);
    return new Decision.Restart(
        next.name(), primary ? "mgmtd primary, last" : next.kind().id() + " runs an old template");
  }

  private static int order(DaemonKind kind) {
    return switch (kind) {
      case STORAGE -> 0;
      case META -> 1;
      case MGMTD -> 2;
      case GATEWAY -> 3;
    };
  }

  static final Set<DaemonKind> ROLLED =
      Set.of(DaemonKind.STORAGE, DaemonKind.META, DaemonKind.MGMTD);
}
