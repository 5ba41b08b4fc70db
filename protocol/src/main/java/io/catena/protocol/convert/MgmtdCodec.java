package io.catena.protocol.convert;

import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.DiskInfo;
import io.catena.protocol.mgmtd.LocalState;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTable;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Disk;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetLocalState;
import io.catena.topology.TargetPublicState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Conversions between topology values and mgmtd's wire messages (routing info, admin calls). */
public final class MgmtdCodec {

  private MgmtdCodec() {}

  public static NodeInfo toWire(Node node) {
    NodeInfo.Builder b =
        NodeInfo.newBuilder()
            .setNodeId(node.id().value())
            .setAddress(node.address())
            .setDataAddress(node.dataAddress())
            .putAllLabels(node.labels());
    for (Disk disk : node.disks()) {
      b.addDisks(
          DiskInfo.newBuilder().setIndex(disk.index()).setCapacityBytes(disk.capacityBytes()));
    }
    return b.build();
  }

  public static Node fromWire(NodeInfo node) {
    List<Disk> disks = new ArrayList<>();
    for (DiskInfo disk : node.getDisksList()) {
      disks.add(new Disk(disk.getIndex(), disk.getCapacityBytes()));
    }
    return new Node(
        NodeId.of(node.getNodeId()),
        node.getAddress(),
        Map.copyOf(node.getLabelsMap()),
        disks,
        node.getDataAddress());
  }

  /** A target as the wire carries it; {@code topology} tells which chain holds it, if any. */
  public static TargetInfo toWire(Target target, ClusterTopology topology) {
    TargetInfo.Builder b =
        TargetInfo.newBuilder()
            .setTargetId(target.id().value())
            .setNodeId(target.node().value())
            .setDisk(target.disk())
            .setCapacityBytes(target.capacityBytes())
            .setUsedBytes(target.usedBytes())
            .setPublicState(toWire(target.publicState()))
            .setLocalState(toWire(target.localState()));
    topology.chainOf(target.id()).ifPresent(chain -> b.setChainId(chain.value()));
    return b.build();
  }

  public static Target fromWire(TargetInfo target) {
    return new Target(
        TargetId.of(target.getTargetId()),
        NodeId.of(target.getNodeId()),
        target.getDisk(),
        target.getCapacityBytes(),
        target.getUsedBytes(),
        target.getPublicState() == PublicState.PUBLIC_STATE_UNSPECIFIED
            ? TargetPublicState.OFFLINE
            : fromWire(target.getPublicState()),
        target.getLocalState() == LocalState.LOCAL_STATE_UNSPECIFIED
            ? TargetLocalState.OFFLINE
            : fromWire(target.getLocalState()));
  }

  /** A chain with the public state of each member, read from {@code topology}'s targets. */
  public static ChainInfo toWire(Chain chain, ClusterTopology topology) {
    ChainInfo.Builder b =
        ChainInfo.newBuilder().setChainId(chain.id().value()).setVersion(chain.version());
    for (TargetId t : chain.targets()) {
      b.addMembers(
          ChainMember.newBuilder()
              .setTargetId(t.value())
              .setPublicState(toWire(topology.target(t).publicState())));
    }
    return b.build();
  }

  public static Chain fromWire(ChainInfo chain) {
    List<TargetId> targets = new ArrayList<>();
    for (ChainMember m : chain.getMembersList()) {
      targets.add(TargetId.of(m.getTargetId()));
    }
    return new Chain(ChainId.of(chain.getChainId()), Math.toIntExact(chain.getVersion()), targets);
  }

  public static ChainTableInfo toWire(ChainTable table) {
    ChainTableInfo.Builder b =
        ChainTableInfo.newBuilder().setTableId(table.id().value()).setVersion(table.version());
    for (ChainId c : table.chains()) {
      b.addChainIds(c.value());
    }
    return b.build();
  }

  public static ChainTable fromWire(ChainTableInfo table) {
    List<ChainId> chains = new ArrayList<>();
    for (int c : table.getChainIdsList()) {
      chains.add(ChainId.of(c));
    }
    return new ChainTable(ChainTableId.of(table.getTableId()), table.getVersion(), chains);
  }

  public static PublicState toWire(TargetPublicState state) {
    return switch (state) {
      case SERVING -> PublicState.SERVING;
      case LASTSRV -> PublicState.LASTSRV;
      case SYNCING -> PublicState.SYNCING;
      case WAITING -> PublicState.WAITING;
      case OFFLINE -> PublicState.OFFLINE;
    };
  }

  public static TargetPublicState fromWire(PublicState state) {
    return switch (state) {
      case SERVING -> TargetPublicState.SERVING;
      case LASTSRV -> TargetPublicState.LASTSRV;
      case SYNCING -> TargetPublicState.SYNCING;
      case WAITING -> TargetPublicState.WAITING;
      case OFFLINE -> TargetPublicState.OFFLINE;
      case PUBLIC_STATE_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("public state is missing");
    };
  }

  public static LocalState toWire(TargetLocalState state) {
    return switch (state) {
      case UPTODATE -> LocalState.UPTODATE;
      case ONLINE -> LocalState.ONLINE;
      case OFFLINE -> LocalState.LOCAL_OFFLINE;
    };
  }

  public static TargetLocalState fromWire(LocalState state) {
    return switch (state) {
      case UPTODATE -> TargetLocalState.UPTODATE;
      case ONLINE -> TargetLocalState.ONLINE;
      case LOCAL_OFFLINE -> TargetLocalState.OFFLINE;
      case LOCAL_STATE_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("local state is missing");
    };
  }
}
