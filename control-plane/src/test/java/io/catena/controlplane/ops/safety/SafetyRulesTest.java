package io.catena.controlplane.ops.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.topology.TargetPublicState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The safety rules of drain, rolling restart, restart order and self-healing, table by table. */
class SafetyRulesTest {

  /** A chain from "node:STATE" members, e.g. chain(7, "1:SERVING", "2:OFFLINE"). */
  private static ChainState chain(int id, String... members) {
    List<ChainState.Member> list = new ArrayList<>();
    long t = id * 100L;
    for (String m : members) {
      String[] p = m.split(":");
      list.add(new ChainState.Member(++t, Integer.parseInt(p[0]), TargetPublicState.valueOf(p[1])));
    }
    return new ChainState(id, list);
  }

  static Stream<Arguments> drains() {
    return Stream.of(
        // chains, node, R, refused?, named chain
        Arguments.of(List.of(chain(1, "1:SERVING", "2:SERVING", "3:SERVING")), 1, 3, false, ""),
        Arguments.of(
            List.of(chain(1, "1:SERVING", "2:SERVING", "3:OFFLINE")), 1, 3, true, "chain-1"),
        Arguments.of(
            List.of(chain(1, "1:SERVING", "2:SERVING", "3:SYNCING")), 1, 3, true, "chain-1"),
        // the draining node's own replica being down does not matter: the others serve
        Arguments.of(List.of(chain(1, "1:OFFLINE", "2:SERVING", "3:SERVING")), 1, 3, false, ""),
        // a degraded chain elsewhere does not block this node
        Arguments.of(
            List.of(
                chain(1, "1:SERVING", "2:SERVING", "3:SERVING"),
                chain(2, "2:SERVING", "3:SERVING", "4:OFFLINE")),
            1,
            3,
            false,
            ""),
        Arguments.of(
            List.of(
                chain(1, "1:SERVING", "2:SERVING", "3:SERVING"),
                chain(2, "1:SERVING", "3:WAITING", "4:SERVING")),
            1,
            3,
            true,
            "chain-2"),
        Arguments.of(List.of(chain(1, "1:SERVING", "2:SERVING")), 1, 2, false, ""),
        Arguments.of(List.of(chain(1, "1:SERVING", "2:OFFLINE")), 1, 2, true, "chain-1"),
        Arguments.of(List.of(chain(1, "1:SERVING")), 1, 1, false, ""));
  }

  @ParameterizedTest
  @MethodSource("drains")
  void drainKeepsRMinusOneServingElsewhere(
      List<ChainState> chains, int node, int r, boolean refused, String named) {
    var verdict = DrainGuard.check(chains, node, r);
    assertThat(verdict.isPresent()).isEqualTo(refused);
    verdict.ifPresent(reason -> assertThat(reason).contains(named).contains("R-1=" + (r - 1)));
  }

  static Stream<Arguments> restarts() {
    return Stream.of(
        Arguments.of(List.of(chain(1, "1:SERVING", "2:SERVING", "3:SERVING")), 1, false),
        Arguments.of(List.of(chain(1, "1:SERVING", "2:OFFLINE", "3:OFFLINE")), 1, true),
        Arguments.of(List.of(chain(1, "1:SERVING", "2:SYNCING", "3:WAITING")), 1, true),
        Arguments.of(List.of(chain(1, "1:SERVING", "2:OFFLINE", "3:SERVING")), 1, false),
        // a chain not on the node never blocks it
        Arguments.of(List.of(chain(1, "2:SERVING", "3:OFFLINE")), 1, false),
        Arguments.of(
            List.of(chain(1, "1:SERVING", "2:SERVING"), chain(2, "1:SERVING", "3:OFFLINE")),
            1,
            true));
  }

  @ParameterizedTest
  @MethodSource("restarts")
  void restartNeedsAnotherServingReplica(List<ChainState> chains, int node, boolean refused) {
    assertThat(RollingRestartGuard.check(chains, node).isPresent()).isEqualTo(refused);
  }

  static Stream<Arguments> orders() {
    return Stream.of(
        Arguments.of(List.of("a", "b", "c"), Set.of("a"), List.of("b", "c", "a")),
        Arguments.of(List.of("a", "b", "c"), Set.of("c"), List.of("a", "b", "c")),
        Arguments.of(List.of("a", "b", "c"), Set.of(), List.of("a", "b", "c")),
        Arguments.of(List.of("b"), Set.of("b"), List.of("b")));
  }

  @ParameterizedTest
  @MethodSource("orders")
  void mgmtdPrimaryRestartsLast(List<String> nodes, Set<String> primary, List<String> expected) {
    assertThat(RestartOrder.order(nodes, primary::contains)).isEqualTo(expected);
  }

  private static final SelfHealPolicy.Limits LIMITS =
      new SelfHealPolicy.Limits(Duration.ofSeconds(60), 2, 3);

  static Stream<Arguments> heals() {
    long now = 1_000_000;
    return Stream.of(
        // offline since, active, recent starts, paused, expected
        Arguments.of(Map.of(1L, now - 59_000), Set.of(), List.of(), false, List.of()),
        Arguments.of(Map.of(1L, now - 60_000), Set.of(), List.of(), false, List.of(1L)),
        Arguments.of(Map.of(1L, now - 60_000), Set.of(), List.of(), true, List.of()),
        // longest offline first, within the concurrency budget of 2
        Arguments.of(
            Map.of(1L, now - 70_000, 2L, now - 90_000, 3L, now - 80_000),
            Set.of(),
            List.of(),
            false,
            List.of(2L, 3L)),
        Arguments.of(
            Map.of(1L, now - 70_000, 2L, now - 90_000),
            Set.of(9L),
            List.of(now),
            false,
            List.of(2L)),
        // already being repaired
        Arguments.of(Map.of(1L, now - 70_000), Set.of(1L), List.of(now), false, List.of()),
        // hourly rate of 3 spent (starts older than an hour do not count)
        Arguments.of(
            Map.of(1L, now - 70_000),
            Set.of(),
            List.of(now - 10, now - 20, now - 30),
            false,
            List.of()),
        Arguments.of(
            Map.of(1L, now - 70_000),
            Set.of(),
            List.of(now - 10, now - 20, now - 3_700_000),
            false,
            List.of(1L)));
  }

  @ParameterizedTest
  @MethodSource("heals")
  void selfHealingRespectsTimeoutBudgetRateAndPause(
      Map<Long, Long> offline,
      Set<Long> active,
      List<Long> starts,
      boolean paused,
      List<Long> due) {
    assertThat(SelfHealPolicy.due(offline, 1_000_000, LIMITS, active, starts, paused))
        .isEqualTo(due);
  }
}
