package io.catena.controlplane.status;

import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.TargetInfo;

/**
 * The state a target is shown and counted in. mgmtd reports a target in no chain as OFFLINE (no
 * chain, no state), which after a scale-out that left spare targets read as failures on a healthy
 * cluster; such a target is {@value #SPARE} instead.
 */
public final class TargetStates {

  /** A target that belongs to no chain: capacity waiting for a chain or a migration. */
  public static final String SPARE = "SPARE";

  private TargetStates() {}

  public static String shown(TargetInfo target) {
    if (!target.hasChainId()) {
      return SPARE;
    }
    PublicState state = target.getPublicState();
    return state == PublicState.PUBLIC_STATE_UNSPECIFIED ? "UNKNOWN" : state.name();
  }
}
