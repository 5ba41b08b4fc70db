package io.catena.storage.mgmtd;

import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.storage.server.TargetConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which targets a storage daemon must create: those mgmtd places on its node that belong to a chain
 * and that it does not serve yet. Target {@code T} on disk {@code d} lives in {@code
 * dataDirs[d]/catena/targets/T} (the directory a node agent's PrepareTargets creates).
 */
public final class AssignedTargets {

  private AssignedTargets() {}

  /** The directory of a target on a disk. */
  public static Path directory(Path disk, long targetId) {
    return disk.resolve("catena").resolve("targets").resolve(Long.toString(targetId));
  }

  /**
   * The targets to create, in id order; a target on a disk index this daemon does not have is
   * returned in {@code unplaceable} instead (the daemon logs it: its --data list is too short).
   */
  public static Result toCreate(
      RoutingInfo routing, int nodeId, Set<Long> served, List<Path> dataDirs) {
    List<TargetConfig> create = new ArrayList<>();
    List<Long> unplaceable = new ArrayList<>();
    for (TargetInfo t : routing.getTargetsList()) {
      if (t.getNodeId() != nodeId || !t.hasChainId() || served.contains(t.getTargetId())) {
        continue;
      }
      if (t.getDisk() >= dataDirs.size()) {
        unplaceable.add(t.getTargetId());
        continue;
      }
      create.add(
          new TargetConfig(
              t.getTargetId(),
              t.getChainId(),
              directory(dataDirs.get(t.getDisk()), t.getTargetId())));
    }
    create.sort((a, b) -> Long.compare(a.targetId(), b.targetId()));
    return new Result(create, unplaceable);
  }

  /** Targets to create, and targets on disks the daemon was not given. */
  public record Result(List<TargetConfig> create, List<Long> unplaceable) {}
}
