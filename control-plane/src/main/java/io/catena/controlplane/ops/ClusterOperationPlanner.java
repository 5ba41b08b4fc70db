package io.catena.controlplane.ops;

import io.catena.controlplane.ops.cluster.ClusterAdmin;
import io.catena.controlplane.ops.cluster.ClusterSnapshot;
import io.catena.controlplane.ops.cluster.NodeProvisioner;
import io.catena.controlplane.ops.cluster.NodeRestarter;
import io.catena.controlplane.ops.cluster.ReplicaHosts;
import io.catena.controlplane.ops.load.HotSpotMonitor;
import io.catena.controlplane.ops.safety.DrainGuard;
import io.catena.controlplane.ops.safety.RestartOrder;
import io.catena.controlplane.ops.safety.RollingRestartGuard;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTable;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Disk;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetPublicState;
import io.catena.topology.hotspot.HotSpotReport;
import io.catena.topology.plan.DrainPlanner;
import io.catena.topology.plan.Plan;
import io.catena.topology.plan.PlanRefusedException;
import io.catena.topology.plan.PlanStep;
import io.catena.topology.plan.RebalancePlanner;
import io.catena.topology.plan.RepairPlanner;
import io.catena.topology.plan.ScaleOutPlanner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Plans operations on a live cluster: reads mgmtd, checks the safety rules, asks the topology
 * planners what to change, and turns their steps into {@link ExecStep}s ({@link ClusterSteps}).
 */
public final class ClusterOperationPlanner implements OperationPlanner {

  private final ClusterAdmin admin;
  private final ClusterSteps steps;
  private final NodeRestarter restarter;
  private final HotSpotMonitor hotSpots;
  private final OpsSettings settings;

  /**
   * @param provisioner starts new nodes for scale-out; null: scale-out is refused
   * @param restarter restarts nodes for rolling restarts; null: rolling restart is refused
   * @param hotSpots load for rebalance; null: rebalance levels usage only
   */
  public ClusterOperationPlanner(
      ClusterAdmin admin,
      ReplicaHosts hosts,
      NodeProvisioner provisioner,
      NodeRestarter restarter,
      HotSpotMonitor hotSpots,
      OpsSettings settings,
      Clock clock) {
    this.admin = admin;
    this.restarter = restarter;
    this.hotSpots = hotSpots;
    this.settings = settings;
    this.steps = new ClusterSteps(admin, hosts, provisioner, restarter, settings, clock);
    this.provisioner = provisioner;
  }

  private final NodeProvisioner provisioner;

  @Override
  public ExecutionPlan plan(OperationRequest request) {
    ClusterSnapshot snap = admin.snapshot();
    return switch (request) {
      case OperationRequest.Repair r -> repair(snap, r.targetId());
      case OperationRequest.SelfHeal h -> repair(snap, h.targetId());
      case OperationRequest.Drain d -> drain(snap, d);
      case OperationRequest.ScaleOut s -> scaleOut(snap, s);
      case OperationRequest.RollingRestart r -> rollingRestart(snap, r);
      case OperationRequest.Rebalance r -> rebalance(snap, r);
    };
  }

  private ExecutionPlan repair(ClusterSnapshot snap, long targetId) {
    ClusterTopology topo = snap.topology();
    TargetId id = TargetId.of(targetId);
    Target target =
        topo.findTarget(id).orElseThrow(() -> new IllegalArgumentException(id + " does not exist"));
    Optional<ChainId> chain = topo.chainOf(id);
    if (chain.isEmpty()) {
      throw new OperationRefusedException(id + " is a spare: it holds no replica to repair");
    }
    if (target.publicState() != TargetPublicState.OFFLINE) {
      throw new OperationRefusedException(
          id + " is " + target.publicState() + ": repair replaces an OFFLINE target");
    }
    RepairPlanner.Result result =
        RepairPlanner.planTargets(
            topo, List.of(id), new RepairPlanner.Options(settings.domainLabel()));
    if (!result.unrepairable().isEmpty()) {
      throw new OperationRefusedException(String.join("; ", result.plan().notes()));
    }
    requireLiveDestinations(snap, result.plan());
    return executable(
        "repair " + id + " of " + chain.get() + ": " + result.plan().strategy(), result.plan());
  }

  private ExecutionPlan drain(ClusterSnapshot snap, OperationRequest.Drain d) {
    NodeId node = NodeId.of(d.nodeId());
    if (snap.topology().findNode(node).isEmpty()) {
      throw new IllegalArgumentException(node + " does not exist");
    }
    int replicas = snap.replicationFactor();
    Optional<String> refusal = DrainGuard.check(snap.chainStates(), d.nodeId(), replicas);
    if (refusal.isPresent()) {
      throw new OperationRefusedException(refusal.get());
    }
    Plan plan;
    try {
      plan =
          DrainPlanner.plan(
              snap.topology(),
              node,
              new DrainPlanner.Options(settings.domainLabel(), d.decommission()));
    } catch (PlanRefusedException e) {
      throw new OperationRefusedException(e.getMessage());
    }
    requireLiveDestinations(snap, plan);
    return executable((d.decommission() ? "decommission " : "drain ") + node, plan);
  }

  private ExecutionPlan scaleOut(ClusterSnapshot snap, OperationRequest.ScaleOut s) {
    if (provisioner == null) {
      throw new OperationRefusedException(
          "this control plane does not start nodes: a production cluster's nodes come from agents"
              + " that joined (catena install-agent); only local clusters (catena up) scale out by"
              + " starting agents");
    }
    ClusterTopology topo = snap.topology();
    ChainTable table =
        topo.chainTables().stream()
            .min(Comparator.comparing(t -> t.id().value()))
            .orElseThrow(() -> new OperationRefusedException("the cluster has no chain table yet"));
    List<PlanStep.AddNode> added = newNodes(topo, s.addNodes());
    ScaleOutPlanner.Strategy strategy =
        s.mode().equals("new-chains")
            ? ScaleOutPlanner.Strategy.NEW_CHAINS
            : ScaleOutPlanner.Strategy.MIGRATE;
    ScaleOutPlanner.Result result;
    try {
      result =
          ScaleOutPlanner.plan(
              topo,
              table.id(),
              added,
              new ScaleOutPlanner.Options(strategy, s.stepSize(), settings.domainLabel(), 1));
    } catch (PlanRefusedException e) {
      throw new OperationRefusedException(e.getMessage());
    }
    ScaleOutPlanner.Summary sum = result.summary();
    return executable(
        "scale out "
            + table.id()
            + " by "
            + s.addNodes()
            + " nodes ("
            + result.plan().strategy()
            + ", "
            + sum.waves()
            + " waves, "
            + sum.movedReplicas()
            + " of "
            + sum.totalReplicas()
            + " replicas move)",
        result.plan());
  }

  /**
   * The nodes a scale-out adds: the next free ids, the disks of the cluster's first node, and on
   * each disk as many spare targets as the fullest existing disk holds, each with an equal share. A
   * new node gets its own failure domain when the cluster labels domains.
   */
  private List<PlanStep.AddNode> newNodes(ClusterTopology topo, int count) {
    Node template =
        topo.nodes().stream()
            .findFirst()
            .orElseThrow(() -> new OperationRefusedException("the cluster has no nodes yet"));
    int nextId = topo.nodes().stream().mapToInt(n -> n.id().value()).max().orElse(0) + 1;
    Map<String, Integer> perDisk = new HashMap<>();
    for (Target t : topo.targets()) {
      perDisk.merge(t.node() + "/" + t.disk(), 1, Integer::sum);
    }
    int slots = Math.max(1, perDisk.values().stream().mapToInt(Integer::intValue).max().orElse(1));
    boolean labelled =
        topo.nodes().stream().anyMatch(n -> n.label(settings.domainLabel()).isPresent());
    List<PlanStep.AddNode> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      NodeId id = NodeId.of(nextId + i);
      Map<String, String> labels =
          labelled
              ? Map.of(settings.domainLabel(), settings.domainLabel() + "-" + id.value())
              : Map.of();
      List<Disk> disks = template.disks();
      // The real address is known once the provisioner has started the node (AddNode step).
      Node node = new Node(id, "pending-" + id.value(), labels, disks);
      List<Target> targets = new ArrayList<>();
      for (Disk disk : disks) {
        for (int slot = 1; slot <= slots; slot++) {
          targets.add(
              new Target(
                  TargetId.of(id, disk.index(), slot),
                  id,
                  disk.index(),
                  disk.capacityBytes() / slots,
                  0,
                  TargetPublicState.OFFLINE,
                  io.catena.topology.TargetLocalState.OFFLINE));
        }
      }
      out.add(new PlanStep.AddNode(node, targets));
    }
    return out;
  }

  private ExecutionPlan rollingRestart(ClusterSnapshot snap, OperationRequest.RollingRestart r) {
    if (restarter == null) {
      throw new OperationRefusedException(
          "this control plane cannot restart daemons (no restarter)");
    }
    List<String> known = restarter.nodes();
    List<String> chosen = r.nodes().isEmpty() ? known : r.nodes();
    for (String node : chosen) {
      if (!known.contains(node)) {
        throw new IllegalArgumentException("unknown node '" + node + "'; known: " + known);
      }
    }
    List<String> order = RestartOrder.order(chosen, restarter::hostsMgmtdPrimary);
    for (String node : order) {
      OptionalInt storage = restarter.storageNodeId(node);
      if (storage.isPresent()) {
        Optional<String> refusal =
            RollingRestartGuard.check(snap.chainStates(), storage.getAsInt());
        if (refusal.isPresent()) {
          throw new OperationRefusedException(refusal.get());
        }
      }
    }
    List<ExecStep> list = order.stream().map(steps::restartNode).toList();
    return new ExecutionPlan(
        "rolling restart of " + String.join(", ", order) + " (mgmtd primary last)",
        list,
        0,
        list.size() * 30_000L);
  }

  private ExecutionPlan rebalance(ClusterSnapshot snap, OperationRequest.Rebalance r) {
    RebalancePlanner.Options options = RebalancePlanner.Options.defaults();
    String basis = "usage levelling";
    if (hotSpots != null) {
      HotSpotReport report = hotSpots.report(r.window());
      if (!report.hotNodes().isEmpty()) {
        options =
            new RebalancePlanner.Options(
                report.hotNodes(), report.chainLoad(), 0.05, 10_000, settings.domainLabel());
        basis = "hot nodes " + report.hotNodes() + " over " + r.window().id();
      }
    }
    Plan plan;
    try {
      plan = RebalancePlanner.plan(snap.topology(), options);
    } catch (PlanRefusedException e) {
      throw new OperationRefusedException(e.getMessage());
    }
    requireLiveDestinations(snap, plan);
    return executable("rebalance (" + basis + ")", plan);
  }

  /** A plan must not place a replica on a node whose storage daemon is down. */
  private static void requireLiveDestinations(ClusterSnapshot snap, Plan plan) {
    for (PlanStep.MoveReplica move : plan.steps(PlanStep.MoveReplica.class)) {
      NodeId node = plan.after().target(move.to()).node();
      if (!ClusterSteps.storageAlive(snap, node.value())) {
        throw new OperationRefusedException(
            "the plan would place "
                + move.chain()
                + "'s replica on "
                + node
                + ", whose storage daemon is down; bring it back or add nodes");
      }
    }
  }

  private ExecutionPlan executable(String summary, Plan plan) {
    List<ExecStep> list = new ArrayList<>();
    for (PlanStep step : plan.steps()) {
      list.add(steps.of(step, plan.after()));
    }
    long eta =
        plan.bytesToMove() * 1000 / settings.planCopyBytesPerSecond()
            + list.size() * settings.pollInterval().toMillis() * 4;
    String notes = plan.notes().isEmpty() ? "" : " — " + String.join("; ", plan.notes());
    return new ExecutionPlan(summary + notes, list, plan.bytesToMove(), eta);
  }
}
