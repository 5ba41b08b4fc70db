package io.catena.client.routing;

import io.catena.protocol.mgmtd.PublicState;

/** A chain member's public state as mgmtd publishes it (docs/mgmtd.md). */
public enum ReplicaState {
  /** Takes reads and writes. */
  SERVING,
  /** Was serving last when the chain lost every serving member; takes nothing. */
  LASTSRV,
  /** Receives writes while its predecessor copies what it missed; no reads. */
  SYNCING,
  WAITING,
  OFFLINE;

  static ReplicaState of(PublicState state) {
    return switch (state) {
      case SERVING -> SERVING;
      case LASTSRV -> LASTSRV;
      case SYNCING -> SYNCING;
      case WAITING -> WAITING;
      case OFFLINE, PUBLIC_STATE_UNSPECIFIED, UNRECOGNIZED -> OFFLINE;
    };
  }
}
