package io.catena.client.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.client.routing.Replica;
import io.catena.client.routing.ReplicaState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaSelectorTest {

  private static final List<Replica> THREE = List.of(replica(1), replica(2), replica(3));

  private static Replica replica(long target) {
    return new Replica(target, (int) target, "127.0.0.1:" + (9000 + target), ReplicaState.SERVING);
  }

  @ParameterizedTest(name = "loads {0},{1},{2}; draw {3},{4} -> target {5}")
  @CsvSource({
    "0, 0, 0, 0, 1, 1", // tie: the first draw
    "5, 0, 0, 0, 1, 2",
    "0, 5, 0, 0, 1, 1",
    "3, 3, 1, 0, 2, 3",
    "3, 3, 1, 2, 0, 3",
    "9, 1, 9, 0, 2, 1", // neither drawn is the least loaded overall: p2c picks the better of two
    "2, 2, 2, 2, 2, 3",
  })
  void theLessLoadedOfTwoDrawsWins(int l1, int l2, int l3, int i, int j, long expected) {
    Map<Long, Integer> load = Map.of(1L, l1, 2L, l2, 3L, l3);
    assertThat(ReplicaSelector.choose(THREE, r -> load.get(r.targetId()), i, j).targetId())
        .isEqualTo(expected);
  }

  @Test
  void outstandingReadsSteerNewOnesAway() {
    ReplicaSelector selector = new ReplicaSelector();
    for (int i = 0; i < 10; i++) {
      selector.started(1);
    }
    Map<Long, Integer> picks = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      picks.merge(selector.pick(THREE).targetId(), 1, Integer::sum);
    }
    // Target 1 wins only when drawn twice, which p2c never does (distinct draws).
    assertThat(picks.getOrDefault(1L, 0)).isZero();
    assertThat(picks.get(2L)).isGreaterThan(1000);
    assertThat(picks.get(3L)).isGreaterThan(1000);
  }

  @Test
  void aSuspectIsAvoidedWhileAnotherReplicaIsThereAndUsedWhenNoneIs() {
    ReplicaSelector selector = new ReplicaSelector();
    selector.suspect(2);
    for (int i = 0; i < 500; i++) {
      assertThat(selector.pick(THREE).targetId()).isNotEqualTo(2L);
    }
    assertThat(selector.hasAlternative(THREE, 1)).isTrue();
    assertThat(selector.hasAlternative(List.of(replica(1), replica(2)), 1)).isFalse();
    selector.suspect(1);
    selector.suspect(3);
    assertThat(selector.pick(THREE)).isNotNull();
    selector.healthy(2);
    assertThat(selector.pick(THREE).targetId()).isEqualTo(2L);
    assertThat(selector.pick(List.of())).isNull();
  }
}
