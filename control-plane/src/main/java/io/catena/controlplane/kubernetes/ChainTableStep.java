package io.catena.controlplane.kubernetes;

import io.catena.controlplane.mgmtd.MgmtdAdmin;
import io.catena.controlplane.mgmtd.MgmtdException;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.DiskInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.topology.Chain;
import io.catena.topology.Disk;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.placement.ChainTableGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers the storage pods and their targets with mgmtd and lays chains over the targets no chain
 * uses yet (first the whole table; after a scale-out, new chains on the new nodes). New chains need
 * spare targets in {@code replicationFactor} failure domains; otherwise the step waits and says so.
 *
 * <p>A node's targets are laid out once, when mgmtd holds none on it; afterwards operations own
 * them (a scale-out creates the new node's, a drain retires them). While an operation runs the step
 * waits for it, and a cordoned (drained) node is neither registered nor given targets or chains.
 */
final class ChainTableStep implements ReconcileStep {
  static final int TABLE_ID = 1;
  private static final long SEED = 1;

  @Override
  public String name() {
    return "chain-table";
  }

  @Override
  public StepOutcome run(StepContext context) {
    MgmtdAdmin mgmtd = context.mgmtd().get();
    try {
      if (mgmtd.primary().isEmpty()) {
        return StepOutcome.waiting("MgmtdNoPrimary", "no mgmtd instance holds the lease yet");
      }
      if (context.runningOperation().isPresent()) {
        return StepOutcome.waiting(
            "OperationRunning",
            context.runningOperation().get()
                + " is changing the cluster; the chain table waits for it");
      }
      long diskBytes = context.settings().diskBytes();
      Set<Integer> known = new HashSet<>();
      mgmtd.nodes().forEach(n -> known.add(n.getNodeId()));
      List<Node> nodes = new ArrayList<>();
      List<TargetInfo> newTargets = new ArrayList<>();
      Set<Long> existing = new HashSet<>();
      Set<Integer> withTargets = new HashSet<>();
      mgmtd
          .targets()
          .forEach(
              t -> {
                existing.add(t.getTargetId());
                withTargets.add(t.getNodeId());
              });
      int added = 0;
      for (int i = 0; i < context.spec().nodes().size(); i++) {
        NodeSpec spec = context.spec().nodes().get(i);
        int id = spec.id() == null ? i + 1 : spec.id();
        if (context.cordoned().contains(id)) {
          continue;
        }
        List<Disk> disks = new ArrayList<>();
        NodeInfo.Builder info =
            NodeInfo.newBuilder()
                .setNodeId(id)
                .setAddress(spec.address() + ":" + ClusterNames.STORAGE_PORT)
                .putAllLabels(spec.labels());
        for (int d = 0; d < spec.disks().size(); d++) {
          disks.add(new Disk(d, diskBytes));
          info.addDisks(DiskInfo.newBuilder().setIndex(d).setCapacityBytes(diskBytes));
          long perTarget = diskBytes / spec.targetsPerDiskOrDefault();
          for (int slot = 0; slot < spec.targetsPerDiskOrDefault(); slot++) {
            long target = TargetId.of(NodeId.of(id), d, slot).value();
            if (!withTargets.contains(id) && !existing.contains(target)) {
              newTargets.add(
                  TargetInfo.newBuilder()
                      .setTargetId(target)
                      .setNodeId(id)
                      .setDisk(d)
                      .setCapacityBytes(perTarget)
                      .build());
            }
          }
        }
        if (!known.contains(id)) {
          mgmtd.addNode(info.build());
          added++;
        }
        nodes.add(new Node(NodeId.of(id), spec.address(), spec.labels(), disks));
      }
      if (added > 0) {
        context.events().normal("NodesRegistered", added + " storage nodes registered with mgmtd");
      }
      if (!newTargets.isEmpty()) {
        mgmtd.createTargets(newTargets);
        context.events().normal("TargetsCreated", newTargets.size() + " targets created");
      }
      StepOutcome outcome = layChains(context, mgmtd, nodes, context.cordoned());
      if (outcome.isDone() && !context.cordoned().isEmpty()) {
        return StepOutcome.done(
            outcome.message() + "; drained (cordoned) nodes: " + context.cordoned());
      }
      return outcome;
    } catch (MgmtdException e) {
      return StepOutcome.waiting("MgmtdUnavailable", e.getMessage());
    }
  }

  private StepOutcome layChains(
      StepContext context, MgmtdAdmin mgmtd, List<Node> nodes, Set<Integer> cordoned) {
    List<ChainInfo> chains = mgmtd.chains();
    Set<Long> used = new HashSet<>();
    int nextChain = 1;
    for (ChainInfo chain : chains) {
      chain.getMembersList().forEach(m -> used.add(m.getTargetId()));
      nextChain = Math.max(nextChain, chain.getChainId() + 1);
    }
    Map<NodeId, List<Target>> spare = new HashMap<>();
    int spareCount = 0;
    for (TargetInfo t : mgmtd.targets()) {
      if (!used.contains(t.getTargetId()) && !cordoned.contains(t.getNodeId())) {
        spare
            .computeIfAbsent(NodeId.of(t.getNodeId()), k -> new ArrayList<>())
            .add(
                Target.serving(
                    TargetId.of(t.getTargetId()),
                    NodeId.of(t.getNodeId()),
                    t.getDisk(),
                    t.getCapacityBytes()));
        spareCount++;
      }
    }
    int replicas = context.spec().replicationFactorOrDefault();
    String summary = chains.size() + " chains in table " + TABLE_ID;
    if (spareCount == 0) {
      return StepOutcome.done(summary);
    }
    ChainTableGenerator.Designed designed;
    try {
      designed =
          ChainTableGenerator.design(
              nodes,
              id -> spare.getOrDefault(id, List.of()),
              nextChain,
              replicas,
              context.spec().failureDomainLabelOrDefault(),
              SEED);
    } catch (IllegalArgumentException e) {
      if (!chains.isEmpty()) {
        return StepOutcome.done(
            summary + "; " + spareCount + " spare targets wait for a rebalance: " + e.getMessage());
      }
      return StepOutcome.failed("ChainTableImpossible", e.getMessage());
    }
    if (designed.chains().isEmpty()) {
      return StepOutcome.done(summary);
    }
    List<ChainSpec> all = new ArrayList<>();
    Map<Integer, ChainInfo> byId = new HashMap<>();
    chains.forEach(c -> byId.put(c.getChainId(), c));
    List<Integer> order = new ArrayList<>();
    for (ChainTableInfo table : mgmtd.chainTables()) {
      if (table.getTableId() == TABLE_ID) {
        order.addAll(table.getChainIdsList());
      }
    }
    for (int id : order) {
      ChainInfo c = byId.get(id);
      if (c != null) {
        all.add(
            ChainSpec.newBuilder()
                .setChainId(id)
                .addAllTargetIds(c.getMembersList().stream().map(ChainMember::getTargetId).toList())
                .build());
      }
    }
    for (Chain chain : designed.chains()) {
      all.add(
          ChainSpec.newBuilder()
              .setChainId(chain.id().value())
              .addAllTargetIds(chain.targets().stream().map(TargetId::value).toList())
              .build());
    }
    mgmtd.setChainTable(TABLE_ID, all);
    context
        .events()
        .normal(
            chains.isEmpty() ? "ChainTableCreated" : "ChainTableExtended",
            designed.chains().size()
                + " chains added to table "
                + TABLE_ID
                + " ("
                + all.size()
                + " in all)");
    return StepOutcome.done(all.size() + " chains in table " + TABLE_ID);
  }
}
