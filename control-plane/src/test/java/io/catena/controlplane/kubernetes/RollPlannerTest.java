package io.catena.controlplane.kubernetes;

import static io.catena.controlplane.driver.DaemonKind.META;
import static io.catena.controlplane.driver.DaemonKind.MGMTD;
import static io.catena.controlplane.driver.DaemonKind.STORAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.kubernetes.RollPlanner.Decision;
import io.catena.controlplane.kubernetes.RollPlanner.PodState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollPlannerTest {

  static PodState pod(
      String name,
      io.catena.controlplane.driver.DaemonKind kind,
      int ordinal,
      boolean current,
      boolean ready,
      int node) {
    return new PodState(name, kind, ordinal, current, ready, node);
  }

  static final List<PodState> ALL_OLD =
      List.of(
          pod("m-0", MGMTD, 0, false, true, 0),
          pod("m-1", MGMTD, 1, false, true, 0),
          pod("meta-0", META, 0, false, true, 0),
          pod("s-0", STORAGE, 0, false, true, 1),
          pod("s-1", STORAGE, 1, false, true, 2));

  @Test
  void storageFirstThenMetaThenMgmtdWithThePrimaryLast() {
    record Case(List<String> alreadyCurrent, String expected) {}
    List<Case> cases =
        List.of(
            new Case(List.of(), "s-0"),
            new Case(List.of("s-0"), "s-1"),
            new Case(List.of("s-0", "s-1"), "meta-0"),
            new Case(List.of("s-0", "s-1", "meta-0"), "m-1"),
            new Case(List.of("s-0", "s-1", "meta-0", "m-1"), "m-0"));
    for (Case c : cases) {
      List<PodState> pods =
          ALL_OLD.stream()
              .map(
                  p ->
                      c.alreadyCurrent().contains(p.name())
                          ? pod(p.name(), p.kind(), p.ordinal(), true, true, p.nodeId())
                          : p)
              .toList();
      Decision d = RollPlanner.next(pods, "m-0", 3, Map.of(1, 2, 2, 2));
      assertThat(d).as("after %s", c.alreadyCurrent()).isInstanceOf(Decision.Restart.class);
      assertThat(((Decision.Restart) d).pod())
          .as("after %s", c.alreadyCurrent())
          .isEqualTo(c.expected());
    }
  }

  @Test
  void holdsWhileAnyPodIsNotReady() {
    List<PodState> pods =
        List.of(pod("s-0", STORAGE, 0, false, true, 1), pod("s-1", STORAGE, 1, true, false, 2));
    assertThat(RollPlanner.next(pods, null, 3, Map.of()))
        .isEqualTo(new Decision.Hold("s-1 is not ready"));
  }

  @Test
  void holdsAStoragePodWhoseChainsWouldFallBelowRMinusOneServing() {
    List<PodState> pods = List.of(pod("s-0", STORAGE, 0, false, true, 1));
    assertThat(RollPlanner.next(pods, null, 3, Map.of(1, 1))).isInstanceOf(Decision.Hold.class);
    assertThat(RollPlanner.next(pods, null, 3, Map.of(1, 2))).isInstanceOf(Decision.Restart.class);
    assertThat(RollPlanner.next(pods, null, 2, Map.of(1, 1))).isInstanceOf(Decision.Restart.class);
  }

  @Test
  void finishedWhenEveryPodIsCurrent() {
    assertThat(RollPlanner.next(List.of(pod("s-0", STORAGE, 0, true, true, 1)), null, 3, Map.of()))
        .isInstanceOf(Decision.Finished.class);
  }
}
