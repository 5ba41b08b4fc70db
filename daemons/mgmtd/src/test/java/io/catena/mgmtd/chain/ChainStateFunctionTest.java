package io.catena.mgmtd.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.topology.TargetId;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every transition of the chain-state function. Notation: a member is {@code <id><public><local>}
 * with public S=SERVING, L=LASTSRV, Y=SYNCING, W=WAITING, O=OFFLINE and local U=UPTODATE, N=ONLINE,
 * X=OFFLINE; the expected chain lists {@code <id><public>} head first.
 */
class ChainStateFunctionTest {

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          healthy chain is unchanged                      | 1SU 2SU 3SU | 1S 2S 3S
          online serving replicas stay serving            | 1SN 2SU 3SN | 1S 2S 3S
          a dead tail goes offline                        | 1SU 2SU 3SX | 1S 2S 3O
          a dead head goes offline to the tail            | 1SX 2SU 3SU | 2S 3S 1O
          a dead middle replica moves to the tail         | 1SU 2SX 3SU | 1S 3S 2O
          all serving die: the first becomes LASTSRV      | 1SX 2SX 3SX | 1L 2O 3O
          the last serving replica becomes LASTSRV        | 1SX 2OX 3OX | 1L 2O 3O
          a returning LASTSRV serves again                | 1LN 2OX 3OX | 1S 2O 3O
          a returning LASTSRV serves, the next one syncs  | 1LN 2ON 3ON | 1S 2Y 3W
          a stale replica is never promoted               | 1LX 2ON 3ON | 1L 2W 3W
          an UPTODATE claim does not skip the sync        | 1LX 2OU 3WU | 1L 2W 3W
          LASTSRV goes offline once another serves        | 1SU 2LX     | 1S 2O
          a live LASTSRV behind a serving one goes offline| 1SU 2LN     | 1S 2O
          a returning target syncs                        | 1SU 2SU 3ON | 1S 2S 3Y
          only one target syncs at a time                 | 1SU 2ON 3ON | 1S 2Y 3W
          a syncing target keeps syncing                  | 1SU 2YN 3WN | 1S 2Y 3W
          a finished sync serves and the next one syncs   | 1SU 2YU 3WN | 1S 2S 3Y
          a dead syncing target goes offline              | 1SU 2YX 3WN | 1S 3Y 2O
          syncing without a source falls back to waiting  | 1SX 2YN     | 1L 2W
          a waiting target claiming UPTODATE syncs first  | 1SU 2WU     | 1S 2Y
          a dead waiting target goes offline              | 1SU 2WX     | 1S 2O
          an offline target stays offline while dead     | 1SU 2OX     | 1S 2O
          a waiting target waits while nothing serves     | 1LX 2WN     | 1L 2W
          a single-replica chain survives restarts        | 1SN         | 1S
          a single replica that dies is LASTSRV           | 1SX         | 1L
          """)
  void transition(String why, String before, String after) {
    assertThat(render(ChainStateFunction.next(parse(before)))).isEqualTo(after);
  }

  @Test
  void reportsWhetherAnythingChanges() {
    assertThat(ChainStateFunction.changes(parse("1SU 2SU 3SU"))).isFalse();
    assertThat(ChainStateFunction.changes(parse("1SU 2SU 3SX"))).isTrue();
    assertThat(ChainStateFunction.changes(parse("1SX 2SU"))).isTrue();
  }

  /** Every chain of up to three members in every combination of states. */
  @Test
  void invariantsHoldForEveryStateCombination() {
    for (int size = 1; size <= 3; size++) {
      for (List<ChainMemberState> chain : allChains(size)) {
        List<ChainMemberState> next = ChainStateFunction.next(chain);
        assertThat(next).as("permutation of %s", chain).hasSameSizeAs(chain);
        assertThat(next.stream().map(ChainMemberState::target))
            .containsExactlyInAnyOrderElementsOf(
                chain.stream().map(ChainMemberState::target).toList());
        assertThat(next.stream().filter(m -> m.publicState() == TargetPublicState.SYNCING))
            .as("one sync at a time in %s", render(next))
            .hasSizeLessThanOrEqualTo(1);
        for (ChainMemberState m : next) {
          ChainMemberState was = find(chain, m.target());
          boolean wasStale =
              was.publicState() == TargetPublicState.WAITING
                  || was.publicState() == TargetPublicState.OFFLINE;
          if (wasStale) {
            assertThat(m.publicState())
                .as("%s from %s", m.target(), render(chain))
                .isNotEqualTo(TargetPublicState.SERVING);
          }
          if (!was.alive()) {
            assertThat(m.publicState())
                .as("dead %s in %s", m.target(), render(chain))
                .isIn(TargetPublicState.OFFLINE, TargetPublicState.LASTSRV);
          }
        }
        boolean couldServe =
            chain.stream()
                .anyMatch(
                    m ->
                        (m.publicState() == TargetPublicState.SERVING && m.alive())
                            || (m.publicState() == TargetPublicState.LASTSRV && m.alive())
                            || (m.publicState() == TargetPublicState.SYNCING
                                && m.localState() == TargetLocalState.UPTODATE));
        if (!couldServe) {
          assertThat(next)
              .as("no new SERVING from %s", render(chain))
              .noneMatch(m -> m.publicState() == TargetPublicState.SERVING);
        }
        // With local states held still, the chain reaches a fixed point in a few rounds.
        List<ChainMemberState> settled = next;
        for (int round = 0; round < 4; round++) {
          settled = ChainStateFunction.next(settled);
        }
        assertThat(ChainStateFunction.changes(settled))
            .as("settles from %s", render(chain))
            .isFalse();
      }
    }
  }

  private static List<List<ChainMemberState>> allChains(int size) {
    List<List<ChainMemberState>> result = new ArrayList<>();
    result.add(List.of());
    for (int i = 1; i <= size; i++) {
      List<List<ChainMemberState>> longer = new ArrayList<>();
      for (List<ChainMemberState> prefix : result) {
        for (TargetPublicState p : TargetPublicState.values()) {
          for (TargetLocalState l : TargetLocalState.values()) {
            List<ChainMemberState> chain = new ArrayList<>(prefix);
            chain.add(new ChainMemberState(TargetId.of(i), p, l));
            longer.add(chain);
          }
        }
      }
      result = longer;
    }
    return result;
  }

  private static ChainMemberState find(List<ChainMemberState> chain, TargetId id) {
    return chain.stream().filter(m -> m.target().equals(id)).findFirst().orElseThrow();
  }

  static List<ChainMemberState> parse(String members) {
    return Arrays.stream(members.trim().split("\\s+"))
        .map(
            token ->
                new ChainMemberState(
                    TargetId.of(Long.parseLong(token.substring(0, token.length() - 2))),
                    publicState(token.charAt(token.length() - 2)),
                    localState(token.charAt(token.length() - 1))))
        .toList();
  }

  static String render(List<ChainMemberState> members) {
    return members.stream()
        .map(m -> m.target().value() + code(m.publicState()))
        .collect(Collectors.joining(" "));
  }

  private static TargetPublicState publicState(char c) {
    return switch (c) {
      case 'S' -> TargetPublicState.SERVING;
      case 'L' -> TargetPublicState.LASTSRV;
      case 'Y' -> TargetPublicState.SYNCING;
      case 'W' -> TargetPublicState.WAITING;
      case 'O' -> TargetPublicState.OFFLINE;
      default -> throw new IllegalArgumentException("public state " + c);
    };
  }

  private static TargetLocalState localState(char c) {
    return switch (c) {
      case 'U' -> TargetLocalState.UPTODATE;
      case 'N' -> TargetLocalState.ONLINE;
      case 'X' -> TargetLocalState.OFFLINE;
      default -> throw new IllegalArgumentException("local state " + c);
    };
  }

  private static String code(TargetPublicState state) {
    return switch (state) {
      case SERVING -> "S";
      case LASTSRV -> "L";
      case SYNCING -> "Y";
      case WAITING -> "W";
      case OFFLINE -> "O";
    };
  }
}
