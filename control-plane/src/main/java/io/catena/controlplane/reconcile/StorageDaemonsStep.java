package io.catena.controlplane.reconcile;

import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.protocol.convert.MgmtdCodec;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.topology.Node;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every node is registered in mgmtd (storage address, labels, disks) and runs a storage daemon.
 * Nodes are registered first so that a daemon's first heartbeat finds its node.
 */
public final class StorageDaemonsStep implements ReconcileStep {

  /** Disk size used when registering nodes; mgmtd learns real usage from heartbeats. */
  static final long DISK_BYTES = 1L << 40;

  @Override
  public String name() {
    return "storage-daemons";
  }

  @Override
  public StepResult run(ReconcileContext c) {
    Map<Integer, NodeInfo> known = new HashMap<>();
    for (NodeInfo n : c.mgmtd().nodes()) {
      known.put(n.getNodeId(), n);
    }
    int added = 0;
    for (Node node : c.layout().topologyNodes(DISK_BYTES)) {
      NodeInfo existing = known.get(node.id().value());
      if (existing == null
          || !existing.getLabelsMap().equals(node.labels())
          || existing.getDisksCount() != node.disks().size()) {
        NodeInfo wire = MgmtdCodec.toWire(node);
        if (existing != null && !existing.getAddress().isEmpty()) {
          wire = wire.toBuilder().setAddress(existing.getAddress()).build();
        }
        c.mgmtd().addNode(wire);
        added++;
      }
    }
    List<NodeSpec> nodes = c.layout().nodes();
    List<String> notHealthy = DaemonsRunning.ensure(c, nodes, c.layout()::storage);
    if (!notHealthy.isEmpty()) {
      return StepResult.progressing(
          "storage starting on " + String.join(", ", notHealthy) + registered(added));
    }
    return StepResult.done(nodes.size() + " storage daemons serving" + registered(added));
  }

  private static String registered(int added) {
    return added == 0 ? "" : "; registered " + added + " node(s) in mgmtd";
  }
}
