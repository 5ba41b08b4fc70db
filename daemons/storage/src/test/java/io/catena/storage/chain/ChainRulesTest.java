package io.catena.storage.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChainRulesTest {
  @ParameterizedTest(name = "{0} + public {1} (synced at this version: {2}) -> {3}")
  @CsvSource({
    // a restarted target stays fenced until mgmtd noticed it
    "OFFLINE, SERVING, false, OFFLINE",
    "OFFLINE, SYNCING, false, OFFLINE",
    "OFFLINE, LASTSRV, false, ONLINE",
    "OFFLINE, WAITING, false, ONLINE",
    "OFFLINE, OFFLINE, false, ONLINE",
    "ONLINE, SERVING, false, UPTODATE",
    "ONLINE, SYNCING, false, ONLINE",
    "ONLINE, WAITING, false, ONLINE",
    "ONLINE, OFFLINE, false, ONLINE",
    "ONLINE, LASTSRV, false, ONLINE",
    "UPTODATE, SERVING, false, UPTODATE",
    "UPTODATE, LASTSRV, false, UPTODATE",
    // taken out of service: it missed writes and must sync
    "UPTODATE, WAITING, false, ONLINE",
    "UPTODATE, OFFLINE, false, ONLINE",
    // SYNCING without a sync finished at that version: out of service in versions never seen
    "UPTODATE, SYNCING, false, ONLINE",
    // the sync it just finished, before mgmtd made it SERVING
    "UPTODATE, SYNCING, true, UPTODATE",
  })
  void localStateFollowsThePublicState(
      LocalTargetState local,
      PublicTargetState published,
      boolean syncedHere,
      LocalTargetState expected) {
    assertThat(LocalStateRules.next(local, published, syncedHere)).isEqualTo(expected);
  }

  @Test
  void aTargetAbsentFromRoutingKeepsItsState() {
    for (LocalTargetState s : LocalTargetState.values()) {
      assertThat(LocalStateRules.next(s, null, false)).isEqualTo(s);
    }
  }

  private static ChainMember m(long id, PublicTargetState s) {
    return new ChainMember(id, s, "h:" + id);
  }

  @Test
  void writesFlowThroughServingAndSyncingMembersInOrder() {
    ChainView v =
        new ChainView(
            1,
            5,
            List.of(
                m(1, PublicTargetState.SERVING),
                m(2, PublicTargetState.SERVING),
                m(3, PublicTargetState.SYNCING),
                m(4, PublicTargetState.OFFLINE)));
    assertThat(v.head().orElseThrow().targetId()).isEqualTo(1);
    assertThat(v.successorOf(1).orElseThrow().targetId()).isEqualTo(2);
    assertThat(v.successorOf(2).orElseThrow().targetId()).isEqualTo(3);
    assertThat(v.successorOf(3)).isEmpty();
    assertThat(v.predecessorOf(3).orElseThrow().targetId()).isEqualTo(2);
    assertThat(v.predecessorOf(1)).isEmpty();
    assertThat(v.upstreamOf(1)).isEmpty();
    assertThat(v.upstreamOf(3)).containsExactly(1L, 2L);
    assertThat(v.upstreamOf(4)).containsExactly(1L, 2L, 3L);
    assertThat(v.stateOf(9)).isEqualTo(PublicTargetState.OFFLINE);
  }

  @Test
  void anOfflineTargetInTheMiddleIsSkipped() {
    ChainView v =
        new ChainView(
            1,
            2,
            List.of(
                m(1, PublicTargetState.SERVING),
                m(2, PublicTargetState.WAITING),
                m(3, PublicTargetState.SERVING)));
    assertThat(v.successorOf(1).orElseThrow().targetId()).isEqualTo(3);
    assertThat(v.predecessorOf(3).orElseThrow().targetId()).isEqualTo(1);
  }

  @Test
  void aChainWhoseFirstWriterIsSyncingHasNoHead() {
    ChainView v = new ChainView(1, 2, List.of(m(1, PublicTargetState.SYNCING)));
    assertThat(v.head()).isEmpty();
  }

  @Test
  void staticRoutingKeepsOnlyNewerVersions() {
    StaticRoutingSource r = new StaticRoutingSource();
    java.util.List<Long> seen = new java.util.ArrayList<>();
    r.subscribe(v -> seen.add(v.version()));
    assertThat(r.apply(new ChainView(1, 2, List.of(m(1, PublicTargetState.SERVING))))).isTrue();
    assertThat(r.apply(new ChainView(1, 1, List.of()))).isFalse();
    assertThat(r.apply(new ChainView(1, 2, List.of()))).isFalse();
    assertThat(r.chain(1).orElseThrow().members()).hasSize(1);
    assertThat(seen).containsExactly(2L);
  }
}
