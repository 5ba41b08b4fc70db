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
 *       missed writes and must sync. Routing showing it SYNCING means the same (mgmtd makes a
 *       target SYNCING only after it was out of service), unless this daemon finished a sync of it
 *       at exactly that chain version: the daemon may never have seen the versions in between (a
 *       head taken out and let back in at once), and must not claim data it may have missed. Stays
 *       UPTODATE while SERVING or LASTSRV.
 * </ul>
 *
 * A target absent from routing keeps its state. Sync completion (ONLINE → UPTODATE while SYNCING)
 * is an event, not a routing change: see {@code ChainReplicator#syncDone}.
 */
public final class LocalStateRules {
  private LocalStateRules() {}

  /**
   * The next local state under {@code published}; {@code syncedAtThisVersion} says whether this
   * daemon finished a sync of the target at the chain version that publishes it.
   */
  public static LocalTargetState next(
      LocalTargetState local, PublicTargetState published, boolean syncedAtThisVersion) {
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
          switch (published) {
            case WAITING, OFFLINE -> LocalTargetState.ONLINE;
            case SYNCING ->
                syncedAtThisVersion ? LocalTargetState.UPTODATE : LocalTargetState.ONLINE;
            case SERVING, LASTSRV -> LocalTargetState.UPTODATE;
          };
    };
  }
}
