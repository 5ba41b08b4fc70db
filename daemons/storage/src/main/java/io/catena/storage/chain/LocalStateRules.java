package io.catena.storage.chain;

/**
 * How a target's local state follows its public state (a pure function, table-tested).
 *
 * <ul>
 *   <li>OFFLINE (a target reopened after a restart, fenced): becomes ONLINE once routing shows that
 *       mgmtd noticed the restart (WAITING, OFFLINE, or LASTSRV, which mgmtd revives); stays
 *       OFFLINE while routing still shows it SERVING or SYNCING from before the restart.
 *   <li>ONLINE: becomes UPTODATE when routing shows it SERVING (a LASTSRV revived by mgmtd, or a
 *       finished sync); otherwise stays ONLINE.
 *   <li>UPTODATE: drops to ONLINE when routing takes it out of service (WAITING or OFFLINE): it
 *       missed writes and must sync; stays UPTODATE while SERVING, SYNCING or LASTSRV.
 * </ul>
 *
 * A target absent from routing keeps its state. Sync completion (ONLINE → UPTODATE while SYNCING)
 * is an event, not a routing change: see {@code ChainReplicator#syncDone}.
 */
public final class LocalStateRules {
  private LocalStateRules() {}

  public static LocalTargetState next(LocalTargetState local, PublicTargetState published) {
    if (published == null) {
      return local;
    }
    return switch (local) {
      case OFFLINE -> published.inWritePath() ? LocalTargetState.OFFLINE : LocalTargetState.ONLINE;
      case ONLINE ->
          published == PublicTargetState.SERVING
              ? LocalTargetState.UPTODATE
              : LocalTargetState.ONLINE;
      case UPTODATE ->
          published == PublicTargetState.WAITING || published == PublicTargetState.OFFLINE
              ? LocalTargetState.ONLINE
              : LocalTargetState.UPTODATE;
    };
  }
}
