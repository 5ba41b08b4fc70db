package io.catena.mgmtd.chain;

import static io.catena.topology.TargetPublicState.LASTSRV;
import static io.catena.topology.TargetPublicState.OFFLINE;
import static io.catena.topology.TargetPublicState.SERVING;
import static io.catena.topology.TargetPublicState.SYNCING;
import static io.catena.topology.TargetPublicState.WAITING;

import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The chain-state function of 3FS: (a chain's members in order, with their public states, and the
 * local states their storage daemons report) → the members' new public states in their new order.
 * Pure; mgmtd calls it whenever a local state changes and bumps the chain version when the answer
 * differs from the input.
 *
 * <p>Rules, applied to each member by its current public state:
 *
 * <ul>
 *   <li>SERVING stays SERVING while alive. When it dies, it goes OFFLINE if another SERVING member
 *       survives; when none survives, the first of the dead SERVING members (chain order) becomes
 *       LASTSRV, so the replica holding the newest data is known, and the others go OFFLINE.
 *   <li>LASTSRV becomes SERVING again when it is alive and no member is SERVING; it goes OFFLINE
 *       once another member is SERVING; otherwise it stays LASTSRV.
 *   <li>SYNCING becomes SERVING when its daemon reports UPTODATE (sync done); stays SYNCING while
 *       alive and a SERVING member exists to sync from; falls back to WAITING when none does; goes
 *       OFFLINE when dead.
 *   <li>WAITING and OFFLINE: a live member becomes SYNCING when a SERVING member exists and no
 *       other member is SYNCING (one sync per chain at a time); other live members are WAITING;
 *       dead members are OFFLINE. Such a member is never promoted to SERVING directly, even when it
 *       claims UPTODATE: a stale replica must not replace lost up-to-date data. A chain without a
 *       SERVING member is unavailable until its LASTSRV returns.
 * </ul>
 *
 * The new order is SERVING, LASTSRV, SYNCING, WAITING, OFFLINE, keeping the old order within each
 * group: a failed target moves to the tail, and a syncing target sits right after the last serving
 * one, its predecessor.
 */
public final class ChainStateFunction {

  private ChainStateFunction() {}

  public static List<ChainMemberState> next(List<ChainMemberState> members) {
    boolean servingSurvives =
        members.stream().anyMatch(m -> m.publicState() == SERVING && m.alive());
    boolean syncDone =
        members.stream()
            .anyMatch(
                m -> m.publicState() == SYNCING && m.localState() == TargetLocalState.UPTODATE);
    List<ChainMemberState> next = new ArrayList<>(members.size());
    boolean lastServingChosen = false;
    // First pass: SERVING, LASTSRV and SYNCING members, which decide whether the chain serves.
    for (ChainMemberState m : members) {
      next.add(
          switch (m.publicState()) {
            case SERVING -> {
              if (m.alive()) {
                yield m;
              }
              if (!servingSurvives && !lastServingChosen) {
                lastServingChosen = true;
                yield m.withPublic(LASTSRV);
              }
              yield m.withPublic(OFFLINE);
            }
            case SYNCING -> m.localState() == TargetLocalState.UPTODATE ? m.withPublic(SERVING) : m;
            default -> m;
          });
    }
    boolean anyServing = servingSurvives || syncDone;
    // LASTSRV decides next: it serves again only when nothing else does.
    boolean lastSrvServes = false;
    for (int i = 0; i < next.size(); i++) {
      ChainMemberState m = next.get(i);
      if (m.publicState() != LASTSRV || members.get(i).publicState() != LASTSRV) {
        continue;
      }
      if (anyServing) {
        next.set(i, m.withPublic(OFFLINE));
      } else if (m.alive() && !lastSrvServes) {
        lastSrvServes = true;
        next.set(i, m.withPublic(SERVING));
      }
    }
    anyServing = anyServing || lastSrvServes;
    // Syncing members that did not finish, then the waiting and offline ones.
    boolean syncing = false;
    for (int i = 0; i < next.size(); i++) {
      ChainMemberState m = next.get(i);
      if (members.get(i).publicState() == SYNCING && m.publicState() == SYNCING) {
        if (!m.alive()) {
          next.set(i, m.withPublic(OFFLINE));
        } else if (!anyServing || syncing) {
          // A second SYNCING member (never produced here, but a store could hold one) waits.
          next.set(i, m.withPublic(WAITING));
        } else {
          syncing = true;
        }
      }
    }
    for (int i = 0; i < next.size(); i++) {
      ChainMemberState m = next.get(i);
      TargetPublicState was = members.get(i).publicState();
      if (was != WAITING && was != OFFLINE) {
        continue;
      }
      if (!m.alive()) {
        next.set(i, m.withPublic(OFFLINE));
      } else if (anyServing && !syncing) {
        syncing = true;
        next.set(i, m.withPublic(SYNCING));
      } else {
        next.set(i, m.withPublic(WAITING));
      }
    }
    next.sort(Comparator.comparingInt(m -> rank(m.publicState())));
    return List.copyOf(next);
  }

  /** Whether {@link #next} changes anything: a state or the order. */
  public static boolean changes(List<ChainMemberState> members) {
    return !next(members).equals(List.copyOf(members));
  }

  private static int rank(TargetPublicState state) {
    return switch (state) {
      case SERVING -> 0;
      case LASTSRV -> 1;
      case SYNCING -> 2;
      case WAITING -> 3;
      case OFFLINE -> 4;
    };
  }
}
