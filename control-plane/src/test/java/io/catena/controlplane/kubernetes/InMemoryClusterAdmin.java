package io.catena.controlplane.kubernetes;

import io.catena.controlplane.mgmtd.MgmtdException;
import io.catena.controlplane.ops.cluster.ClusterAdmin;
import io.catena.controlplane.ops.cluster.ClusterSnapshot;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.DaemonKind;
import io.catena.protocol.mgmtd.DaemonStatus;
import io.catena.protocol.mgmtd.LocalState;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * The operations' view of an {@link InMemoryMgmtdAdmin} (the same state the reconciler sees),
 * answering as mgmtd does: a storage daemon is CONNECTED while {@code alive} says its node runs
 * (the test ties it to the pod being Ready) and not marked {@link #down}; a down node's targets
 * read OFFLINE; a target appended to a chain is SYNCING and SERVING on the next read once its node
 * is alive; a target taken offline moves to the chain's tail.
 */
final class InMemoryClusterAdmin implements ClusterAdmin {
  private final InMemoryMgmtdAdmin mgmtd;
  private final IntPredicate alive;

  /** Nodes whose storage daemon has failed (its targets OFFLINE), whatever their pod says. */
  final Set<Integer> down = ConcurrentHashMap.newKeySet();

  private long version;

  InMemoryClusterAdmin(InMemoryMgmtdAdmin mgmtd, IntPredicate alive) {
    this.mgmtd = mgmtd;
    this.alive = alive;
  }

  private boolean up(int node) {
    return !down.contains(node) && alive.test(node);
  }

  @Override
  public ClusterSnapshot snapshot() {
    List<Integer> nodeIds;
    synchronized (mgmtd) {
      nodeIds = List.copyOf(mgmtd.nodes.keySet());
    }
    Set<Integer> upNow = ConcurrentHashMap.newKeySet();
    for (int id : nodeIds) {
      if (up(id)) {
        upNow.add(id); // asks the API server: outside the lock
      }
    }
    long now = System.currentTimeMillis();
    synchronized (mgmtd) {
      for (TargetInfo t : List.copyOf(mgmtd.targets.values())) {
        if (t.getPublicState() == PublicState.SYNCING && upNow.contains(t.getNodeId())) {
          put(t.toBuilder().setPublicState(PublicState.SERVING).build());
        }
      }
      RoutingInfo.Builder info =
          RoutingInfo.newBuilder().setVersion(++version).setPrimaryAddress(mgmtd.primary);
      info.addAllNodes(mgmtd.nodes.values());
      for (TargetInfo t : mgmtd.targets.values()) {
        PublicState state =
            upNow.contains(t.getNodeId()) ? t.getPublicState() : PublicState.OFFLINE;
        info.addTargets(
            t.toBuilder()
                .setPublicState(state)
                .setLocalState(
                    switch (state) {
                      case SERVING -> LocalState.UPTODATE;
                      case SYNCING -> LocalState.ONLINE;
                      default -> LocalState.LOCAL_OFFLINE;
                    }));
      }
      info.addAllChains(mgmtd.chains.values());
      info.addAllChainTables(mgmtd.tables.values());
      for (int id : mgmtd.nodes.keySet()) {
        boolean connected = upNow.contains(id);
        info.addDaemons(
            DaemonInfo.newBuilder()
                .setDaemonId("storage-" + id)
                .setKind(DaemonKind.STORAGE)
                .setAddress(mgmtd.nodes.get(id).getAddress())
                .setNodeId(id)
                .setStatus(connected ? DaemonStatus.CONNECTED : DaemonStatus.FAILED)
                .setLastHeartbeatMs(connected ? now : 0));
      }
      return ClusterSnapshot.of(info.build());
    }
  }

  @Override
  public void addNode(NodeInfo node) {
    mgmtd.addNode(node);
  }

  @Override
  public void removeNode(int nodeId) {
    synchronized (mgmtd) {
      if (mgmtd.targets.values().stream().anyMatch(t -> t.getNodeId() == nodeId)) {
        throw new MgmtdException("node " + nodeId + " still has targets");
      }
      mgmtd.nodes.remove(nodeId);
    }
  }

  @Override
  public void createTargets(List<TargetInfo> targets) {
    mgmtd.createTargets(targets);
  }

  @Override
  public void removeTarget(long targetId) {
    synchronized (mgmtd) {
      for (ChainInfo c : mgmtd.chains.values()) {
        if (c.getMembersList().stream().anyMatch(m -> m.getTargetId() == targetId)) {
          throw new MgmtdException("target " + targetId + " is in chain " + c.getChainId());
        }
      }
      mgmtd.targets.remove(targetId);
    }
  }

  @Override
  public void addToChain(int chainId, long targetId) {
    synchronized (mgmtd) {
      TargetInfo t = target(targetId);
      List<Long> members = members(chainId);
      if (!members.contains(targetId)) {
        members.add(targetId);
      }
      put(t.toBuilder().setPublicState(PublicState.SYNCING).setChainId(chainId).build());
      setMembers(chainId, members);
    }
  }

  @Override
  public void removeFromChain(int chainId, long targetId) {
    synchronized (mgmtd) {
      TargetInfo t = target(targetId);
      if (t.getPublicState() != PublicState.OFFLINE) {
        throw new MgmtdException("target " + targetId + " is not OFFLINE");
      }
      List<Long> members = members(chainId);
      members.remove(targetId);
      put(t.toBuilder().clearChainId().build());
      setMembers(chainId, members);
    }
  }

  @Override
  public void setTargetOnline(long targetId, boolean online) {
    synchronized (mgmtd) {
      TargetInfo t = target(targetId);
      put(t.toBuilder().setPublicState(online ? PublicState.SYNCING : PublicState.OFFLINE).build());
      for (ChainInfo c : List.copyOf(mgmtd.chains.values())) {
        List<Long> members = members(c.getChainId());
        if (members.remove(targetId)) {
          members.add(targetId); // offline (and rejoining) replicas go to the tail
          setMembers(c.getChainId(), members);
        }
      }
    }
  }

  @Override
  public void setChainTable(int tableId, List<ChainSpec> chains) {
    mgmtd.setChainTable(tableId, chains);
  }

  private TargetInfo target(long id) {
    TargetInfo t = mgmtd.targets.get(id);
    if (t == null) {
      throw new MgmtdException("no target " + id);
    }
    return t;
  }

  private List<Long> members(int chainId) {
    ChainInfo c = mgmtd.chains.get(chainId);
    if (c == null) {
      throw new MgmtdException("no chain " + chainId);
    }
    List<Long> out = new ArrayList<>();
    c.getMembersList().forEach(m -> out.add(m.getTargetId()));
    return out;
  }

  /** Rewrites a target and the member states of every chain. */
  private void put(TargetInfo t) {
    mgmtd.targets.put(t.getTargetId(), t);
    for (ChainInfo c : List.copyOf(mgmtd.chains.values())) {
      setMembers(c.getChainId(), members(c.getChainId()));
    }
  }

  private void setMembers(int chainId, List<Long> members) {
    ChainInfo old = mgmtd.chains.get(chainId);
    ChainInfo.Builder b = ChainInfo.newBuilder().setChainId(chainId).setVersion(old.getVersion());
    for (long id : members) {
      TargetInfo t = mgmtd.targets.get(id);
      b.addMembers(
          ChainMember.newBuilder()
              .setTargetId(id)
              .setPublicState(t == null ? PublicState.OFFLINE : t.getPublicState()));
    }
    ChainInfo updated = b.build();
    if (!updated.getMembersList().equals(old.getMembersList())) {
      updated = updated.toBuilder().setVersion(old.getVersion() + 1).build();
    }
    mgmtd.chains.put(chainId, updated);
  }
}
