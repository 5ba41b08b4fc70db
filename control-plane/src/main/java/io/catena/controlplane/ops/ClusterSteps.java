package io.catena.controlplane.ops;

import io.catena.controlplane.ops.cluster.ClusterAdmin;
import io.catena.controlplane.ops.cluster.ClusterSnapshot;
import io.catena.controlplane.ops.cluster.NodeProvisioner;
import io.catena.controlplane.ops.cluster.NodeRestarter;
import io.catena.controlplane.ops.cluster.ReplicaHosts;
import io.catena.controlplane.ops.safety.RollingRestartGuard;
import io.catena.protocol.convert.MgmtdCodec;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.DaemonKind;
import io.catena.protocol.mgmtd.DaemonStatus;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTable;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import io.catena.topology.plan.PlanStep;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executable form of each plan step, against mgmtd ({@link ClusterAdmin}), the storage daemons
 * ({@link ReplicaHosts}) and the machines ({@link NodeProvisioner}, {@link NodeRestarter}).
 *
 * <p>A replica move is online: the new target is created on its daemon and appended to the chain,
 * mgmtd makes it SYNCING (its predecessor streams the chain's data) and then SERVING; only then is
 * the old replica taken out of service, removed from the chain and deleted. The chain never has
 * fewer SERVING replicas than before the move, so no acknowledged write depends on the old one.
 */
final class ClusterSteps {

  private static final Logger log = LoggerFactory.getLogger(ClusterSteps.class);

  private final ClusterAdmin admin;
  private final ReplicaHosts hosts;
  private final NodeProvisioner provisioner;
  private final NodeRestarter restarter;
  private final OpsSettings settings;
  private final Clock clock;

  ClusterSteps(
      ClusterAdmin admin,
      ReplicaHosts hosts,
      NodeProvisioner provisioner,
      NodeRestarter restarter,
      OpsSettings settings,
      Clock clock) {
    this.admin = admin;
    this.hosts = hosts;
    this.provisioner = provisioner;
    this.restarter = restarter;
    this.settings = settings;
    this.clock = clock;
  }

  /** The executable step of a planned one; {@code after} is the plan's resulting model. */
  ExecStep of(PlanStep step, ClusterTopology after) {
    return switch (step) {
      case PlanStep.AddNode add -> addNode(add);
      case PlanStep.CreateTarget create -> createTarget(create);
      case PlanStep.MoveReplica move -> moveReplica(move, after);
      case PlanStep.MoveHead head -> moveHead(head);
      case PlanStep.AddChains chains -> addChains(chains);
      case PlanStep.RemoveNode remove -> removeNode(remove);
    };
  }

  private static ExecStep step(String description, long bytes, Body body) {
    return new ExecStep() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public long bytes() {
        return bytes;
      }

      @Override
      public void run(StepContext context) throws Exception {
        body.run(context);
      }

      @Override
      public String toString() {
        return description;
      }
    };
  }

  @FunctionalInterface
  interface Body {
    void run(StepContext context) throws Exception;
  }

  private ExecStep addNode(PlanStep.AddNode add) {
    int nodeId = add.node().id().value();
    return step(
        add.describe(),
        0,
        ctx -> {
          if (provisioner == null) {
            throw new IllegalStateException(
                "this control plane has no node provisioner: it cannot start new nodes");
          }
          ClusterSnapshot snap = admin.snapshot();
          if (snap.topology().findNode(add.node().id()).isEmpty()) {
            ctx.note("starting the storage daemon of node " + nodeId);
            String address = provisioner.startStorageNode(nodeId);
            NodeInfo info = MgmtdCodec.toWire(add.node()).toBuilder().setAddress(address).build();
            admin.addNode(info);
          }
          List<TargetInfo> spares = new ArrayList<>();
          ClusterTopology now = admin.snapshot().topology();
          for (Target t : add.targets()) {
            if (now.findTarget(t.id()).isEmpty()) {
              spares.add(spareWire(t));
            }
          }
          if (!spares.isEmpty()) {
            admin.createTargets(spares);
          }
          ctx.note("waiting for node " + nodeId + "'s storage daemon to heartbeat");
          await(
              ctx, "node " + nodeId + "'s storage daemon to connect", s -> storageAlive(s, nodeId));
        });
  }

  private static TargetInfo spareWire(Target t) {
    return TargetInfo.newBuilder()
        .setTargetId(t.id().value())
        .setNodeId(t.node().value())
        .setDisk(t.disk())
        .setCapacityBytes(t.capacityBytes())
        .build();
  }

  private ExecStep createTarget(PlanStep.CreateTarget create) {
    return step(
        create.describe(),
        0,
        ctx -> {
          if (admin.snapshot().topology().findTarget(create.target().id()).isEmpty()) {
            admin.createTargets(List.of(spareWire(create.target())));
          }
        });
  }

  private ExecStep moveReplica(PlanStep.MoveReplica move, ClusterTopology after) {
    return step(
        move.describe(),
        move.bytes(),
        ctx -> {
          int chain = move.chain().value();
          long to = move.to().value();
          long from = move.from().value();
          ClusterSnapshot snap = admin.snapshot();
          Chain current = snap.topology().chain(move.chain());
          if (!current.contains(move.to())) {
            Target target =
                snap.topology().findTarget(move.to()).orElseGet(() -> after.target(move.to()));
            if (snap.topology().findTarget(move.to()).isEmpty()) {
              admin.createTargets(List.of(spareWire(target)));
            }
            String address =
                snap.address(target.node())
                    .orElseThrow(
                        () -> new IllegalStateException(target.node() + " has no storage address"));
            hosts.createTarget(address, target.node().value(), to, chain);
            admin.addToChain(chain, to);
          }
          ctx.note("syncing " + move.to() + " for " + move.chain());
          await(
              ctx,
              move.to() + " to serve " + move.chain(),
              s -> {
                Target t = s.topology().target(move.to());
                ctx.progress(Math.min(move.bytes(), t.usedBytes()));
                return s.topology().chain(move.chain()).contains(move.to())
                    && t.publicState() == TargetPublicState.SERVING;
              });
          retire(ctx, move.chain(), move.from());
        });
  }

  /** Takes a replica out of service, out of its chain, off its daemon and out of mgmtd. */
  private void retire(StepContext ctx, ChainId chain, TargetId from) throws Exception {
    ClusterSnapshot snap = admin.snapshot();
    Optional<Target> old = snap.topology().findTarget(from);
    if (old.isEmpty()) {
      return;
    }
    NodeId node = old.get().node();
    if (snap.topology().chain(chain).contains(from)) {
      if (old.get().publicState() != TargetPublicState.OFFLINE) {
        admin.setTargetOnline(from.value(), false);
        await(ctx, from + " to go OFFLINE", s -> s.state(from) == TargetPublicState.OFFLINE);
      }
      admin.removeFromChain(chain.value(), from.value());
    }
    admin.removeTarget(from.value());
    if (storageAlive(snap, node.value())) {
      try {
        deleteFromDaemon(snap.address(node).orElseThrow(), from);
      } catch (RuntimeException e) {
        log.warn("{} left {} but its data could not be deleted: {}", from, chain, e.getMessage());
        ctx.note(from + " left " + chain + "; deleting its data failed: " + e.getMessage());
      }
    }
  }

  /**
   * Deletes a retired target on its daemon until it stays deleted: a daemon that creates the
   * targets mgmtd assigns may still act on routing from before the removal and create it again, so
   * the target must be absent on several checks a heartbeat timeout apart.
   */
  private void deleteFromDaemon(String address, TargetId target) throws InterruptedException {
    long deadline = System.nanoTime() + settings.stepTimeout().toNanos();
    int absent = 0;
    while (absent < 3) {
      if (hosts.serves(address, target.value())) {
        absent = 0;
        hosts.removeTarget(address, target.value());
      } else {
        absent++;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(target + " keeps coming back on " + address);
      }
      Thread.sleep(settings.pollInterval().toMillis() * 4);
    }
  }

  /**
   * mgmtd has no reorder call: the head is taken out of service (the next replica becomes head),
   * then let back in, and it rejoins at the tail after syncing what it missed.
   */
  private ExecStep moveHead(PlanStep.MoveHead head) {
    return step(
        head.describe() + " (the old head rejoins at the tail)",
        0,
        ctx -> {
          ClusterSnapshot snap = admin.snapshot();
          if (!snap.topology().chain(head.chain()).head().equals(head.from())) {
            return;
          }
          admin.setTargetOnline(head.from().value(), false);
          await(
              ctx,
              head.from() + " to leave the head of " + head.chain(),
              s -> !s.topology().chain(head.chain()).head().equals(head.from()));
          admin.setTargetOnline(head.from().value(), true);
          await(
              ctx,
              head.from() + " to serve again",
              s -> s.state(head.from()) == TargetPublicState.SERVING);
        });
  }

  private ExecStep addChains(PlanStep.AddChains add) {
    return step(
        add.describe(),
        0,
        ctx -> {
          ClusterSnapshot snap = admin.snapshot();
          List<ChainSpec> specs = new ArrayList<>();
          ChainTable table = snap.topology().chainTable(add.table());
          for (ChainId c : table.chains()) {
            specs.add(spec(snap.topology().chain(c)));
          }
          for (Chain chain : add.chains()) {
            if (snap.topology().findChain(chain.id()).isPresent()) {
              continue;
            }
            for (TargetId t : chain.targets()) {
              NodeId node = snap.topology().target(t).node();
              hosts.createTarget(
                  snap.address(node).orElseThrow(), node.value(), t.value(), chain.id().value());
            }
            specs.add(spec(chain));
          }
          admin.setChainTable(add.table().value(), specs);
          await(
              ctx,
              "the new chains to serve",
              s -> add.chains().stream().allMatch(c -> s.fullStrength(c.id(), c.replicas())));
        });
  }

  private static ChainSpec spec(Chain chain) {
    ChainSpec.Builder b = ChainSpec.newBuilder().setChainId(chain.id().value());
    chain.targets().forEach(t -> b.addTargetIds(t.value()));
    return b.build();
  }

  private ExecStep removeNode(PlanStep.RemoveNode remove) {
    return step(
        remove.describe(),
        0,
        ctx -> {
          ClusterSnapshot snap = admin.snapshot();
          if (snap.topology().findNode(remove.node()).isEmpty()) {
            return;
          }
          for (Target t : snap.topology().targetsOn(remove.node())) {
            if (snap.topology().chainOf(t.id()).isPresent()) {
              throw new IllegalStateException(
                  t.id() + " still holds a replica: the node is not drained");
            }
            admin.removeTarget(t.id().value());
          }
          admin.removeNode(remove.node().value());
        });
  }

  /** Restarts one node's daemons when the rolling-restart rule allows it, then waits for health. */
  ExecStep restartNode(String node) {
    return step(
        "restart the daemons of " + node,
        0,
        ctx -> {
          var storage = restarter.storageNodeId(node);
          if (storage.isPresent()) {
            int id = storage.getAsInt();
            Optional<String> refusal =
                RollingRestartGuard.check(admin.snapshot().chainStates(), id);
            if (refusal.isPresent()) {
              throw new IllegalStateException(refusal.get());
            }
          }
          long restartedAt = clock.millis();
          ctx.note("restarting " + node);
          restarter.restart(node);
          if (storage.isPresent()) {
            int id = storage.getAsInt();
            ctx.note("waiting for the chains on " + node + " to serve again");
            await(
                ctx,
                "the chains on " + node + " to serve again",
                s -> heartbeatSince(s, id, restartedAt) && chainsOnNodeServe(s, id));
          }
        });
  }

  private static boolean heartbeatSince(ClusterSnapshot s, int nodeId, long sinceMs) {
    return s.daemons().stream()
        .anyMatch(
            d ->
                d.getKind() == DaemonKind.STORAGE
                    && d.hasNodeId()
                    && d.getNodeId() == nodeId
                    && d.getStatus() == DaemonStatus.CONNECTED
                    && d.getLastHeartbeatMs() >= sinceMs);
  }

  private static boolean chainsOnNodeServe(ClusterSnapshot s, int nodeId) {
    ClusterTopology topo = s.topology();
    for (Target t : topo.targetsOn(NodeId.of(nodeId))) {
      Optional<ChainId> chain = topo.chainOf(t.id());
      if (chain.isEmpty()) {
        continue;
      }
      for (TargetId member : topo.chain(chain.get()).targets()) {
        Target m = topo.target(member);
        if (m.publicState() != TargetPublicState.SERVING
            || m.localState() != TargetLocalState.UPTODATE) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean storageAlive(ClusterSnapshot s, int nodeId) {
    for (DaemonInfo d : s.daemons()) {
      if (d.getKind() == DaemonKind.STORAGE
          && d.hasNodeId()
          && d.getNodeId() == nodeId
          && d.getStatus() == DaemonStatus.CONNECTED) {
        return true;
      }
    }
    return false;
  }

  /** Re-reads mgmtd until {@code condition} holds; fails after the step timeout. */
  ClusterSnapshot await(StepContext ctx, String what, Predicate<ClusterSnapshot> condition)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + settings.stepTimeout().toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        ClusterSnapshot s = admin.snapshot();
        if (condition.test(s)) {
          return s;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e; // mgmtd failing over: keep polling until the deadline
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "gave up after "
                + settings.stepTimeout().toSeconds()
                + " s waiting for "
                + what
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
      }
      Thread.sleep(settings.pollInterval().toMillis());
    }
  }
}
