package io.catena.controlplane.api;

import io.catena.controlplane.reconcile.ClusterLayout;
import io.catena.controlplane.status.ClusterStatus;
import io.catena.controlplane.status.Condition;
import io.catena.controlplane.status.TargetStates;
import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.ReconcileStep;
import io.catena.protocol.controlplane.StateCount;
import io.catena.protocol.controlplane.TargetInfo;
import io.catena.topology.TargetId;
import java.time.Instant;
import java.util.Map;

/** Domain status ↔ wire messages of the ControlPlane service. */
public final class StatusMapping {

  private StatusMapping() {}

  public static ClusterStatusReply toWire(ClusterStatus s, ClusterLayout layout) {
    return toWire(s, layout, false);
  }

  /** The status; the gateway's URL is {@code https://} when the cluster speaks TLS. */
  public static ClusterStatusReply toWire(ClusterStatus s, ClusterLayout layout, boolean tls) {
    ClusterStatusReply.Builder b =
        ClusterStatusReply.newBuilder()
            .setGeneration(layout.manifest().generation())
            .setObservedGeneration(s.observedGeneration())
            .setMgmtdPrimary(s.mgmtd().primary())
            .addAllMgmtdEndpoints(s.mgmtd().endpoints())
            .setNodes(s.nodes().size())
            .setCapacityBytes(s.capacity().totalBytes())
            .setUsedBytes(s.capacity().usedBytes())
            .setUpdatedAtMs(millis(s.updatedAt()));
    try {
      b.setMetaEndpoint(layout.metaEndpoint());
      if (s.steps().stream()
          .anyMatch(st -> st.name().equals("gateway") && st.outcome().equals("DONE"))) {
        b.setGatewayEndpoint((tls ? "https://" : "http://") + layout.gatewayEndpoint());
      }
    } catch (RuntimeException e) {
      // no meta node: left empty
    }
    for (Condition c : s.conditions()) {
      b.addConditions(
          io.catena.protocol.controlplane.Condition.newBuilder()
              .setType(c.type())
              .setStatus(c.status())
              .setReason(c.reason())
              .setMessage(c.message())
              .setLastTransitionTimeMs(millis(c.lastTransitionTime())));
    }
    s.targets().byState().forEach((k, v) -> b.addTargetsByState(count(k, v)));
    s.chains().byState().forEach((k, v) -> b.addChainsByState(count(k, v)));
    for (ClusterStatus.StepStatus step : s.steps()) {
      b.addSteps(
          ReconcileStep.newBuilder()
              .setName(step.name())
              .setOutcome(step.outcome())
              .setMessage(step.message()));
    }
    return b.build();
  }

  static TargetInfo target(
      io.catena.protocol.mgmtd.TargetInfo t, Map<Integer, String> names, ClusterLayout layout) {
    TargetInfo.Builder b =
        TargetInfo.newBuilder()
            .setTargetId(t.getTargetId())
            .setNodeId(t.getNodeId())
            .setNode(names.getOrDefault(t.getNodeId(), ""))
            .setPublicState(TargetStates.shown(t))
            .setLocalState(t.getLocalState().name().replace("LOCAL_", ""))
            .setCapacityBytes(t.getCapacityBytes())
            .setUsedBytes(t.getUsedBytes());
    if (t.hasChainId()) {
      b.setChainId(t.getChainId());
    }
    String name = names.get(t.getNodeId());
    if (name != null) {
      var node = layout.node(name);
      int disk = ClusterLayout.diskOf(TargetId.of(t.getTargetId()));
      if (t.getDisk() < node.disks().size()) {
        b.setDisk(node.disks().get(t.getDisk()));
      } else if (disk < node.disks().size()) {
        b.setDisk(node.disks().get(disk));
      }
    }
    return b.build();
  }

  private static StateCount count(String state, int n) {
    return StateCount.newBuilder().setState(state).setCount(n).build();
  }

  private static long millis(String instant) {
    try {
      return Instant.parse(instant).toEpochMilli();
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
