package io.catena.controlplane.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.TargetInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetStatesTest {

  @ParameterizedTest(name = "{0}, chain {1} -> {2}")
  @CsvSource({
    "SERVING, 1, SERVING",
    "OFFLINE, 1, OFFLINE",
    "SYNCING, 7, SYNCING",
    "PUBLIC_STATE_UNSPECIFIED, 1, UNKNOWN",
    // a spare target (no chain) is reported OFFLINE by mgmtd: it is not a failure
    "OFFLINE, -1, SPARE",
    "PUBLIC_STATE_UNSPECIFIED, -1, SPARE",
  })
  void aTargetIsShownInItsChainStateOrAsSpare(PublicState state, int chain, String shown) {
    TargetInfo.Builder t = TargetInfo.newBuilder().setTargetId(1).setPublicState(state);
    if (chain >= 0) {
      t.setChainId(chain);
    }
    assertThat(TargetStates.shown(t.build())).isEqualTo(shown);
  }
}
