package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.JoinedNode;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.topology.TargetId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every target of the spec exists in mgmtd and has its directory on its disk; a node that already
 * has targets in mgmtd is left as it is. A target's capacity is its disk's size (as the agent
 * reported it) divided by the targets on that disk.
 */
public final class TargetsStep implements ReconcileStep {

  /** Capacity used when the agent reported no disk containing the spec's directory. */
  static final long UNKNOWN_DISK_BYTES = 64L << 30;

  @Override
  public String name() {
    return "targets";
  }

  @Override
  public StepResult run(ReconcileContext c) {
    Set<Long> existing = new HashSet<>();
    Set<Integer> nodesWithTargets = new HashSet<>();
    for (TargetInfo t : c.mgmtd().targets()) {
      existing.add(t.getTargetId());
      nodesWithTargets.add(t.getNodeId());
    }
    List<TargetInfo> create = new ArrayList<>();
    int total = 0;
    for (NodeSpec node : c.layout().nodes()) {
      List<TargetId> targets = c.layout().targets(node);
      total += targets.size();
      if (nodesWithTargets.contains(c.layout().nodeId(node))) {
        // Targets are created in one batch, so a node that has some got them from this step or
        // from the scale-out that added it (which owns their ids and sizes).
        continue;
      }
      for (int d = 0; d < node.disks().size(); d++) {
        int disk = d;
        List<TargetId> missing =
            targets.stream()
                .filter(t -> ClusterLayout.diskOf(t) == disk && !existing.contains(t.value()))
                .toList();
        if (missing.isEmpty()) {
          continue;
        }
        String path = node.disks().get(d);
        c.driver()
            .prepareTargets(
                node.name(), path, missing.stream().map(t -> Long.toString(t.value())).toList());
        long capacity = diskBytes(c, node.name(), path) / node.targetsPerDiskOrDefault();
        for (TargetId t : missing) {
          create.add(
              TargetInfo.newBuilder()
                  .setTargetId(t.value())
                  .setNodeId(c.layout().nodeId(node))
                  .setDisk(disk)
                  .setCapacityBytes(capacity)
                  .build());
        }
      }
    }
    if (create.isEmpty()) {
      return StepResult.done(total + " targets exist");
    }
    c.mgmtd().createTargets(create);
    return StepResult.progressing("created " + create.size() + " of " + total + " targets");
  }

  /** The size of the reported disk whose mount point is the longest prefix of {@code path}. */
  static long diskBytes(ReconcileContext c, String node, String path) {
    Optional<JoinedNode> joined =
        c.driver().nodes().stream().filter(n -> n.name().equals(node)).findFirst();
    long best = -1;
    int bestLength = -1;
    for (JoinedNode.DiskFact disk : joined.map(JoinedNode::disks).orElse(List.of())) {
      if (path.startsWith(disk.path()) && disk.path().length() > bestLength) {
        best = disk.totalBytes();
        bestLength = disk.path().length();
      }
    }
    return best > 0 ? best : UNKNOWN_DISK_BYTES;
  }
}
