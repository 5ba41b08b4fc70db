package io.catena.mgmtd.cluster;

import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.DaemonKind;
import io.catena.protocol.mgmtd.DaemonStatus;
import io.catena.topology.NodeId;
import java.util.Optional;

/** A registered daemon: what it is, where it listens, and when it last heartbeated. */
public record Daemon(
    String id,
    DaemonKind kind,
    String address,
    Optional<NodeId> node,
    DaemonStatus status,
    long lastHeartbeatMs) {

  /** The part that is persisted: identity and address, not liveness. */
  boolean sameIdentity(Daemon other) {
    return id.equals(other.id)
        && kind == other.kind
        && address.equals(other.address)
        && node.equals(other.node);
  }

  Daemon withLiveness(DaemonStatus status, long lastHeartbeatMs) {
    return new Daemon(id, kind, address, node, status, lastHeartbeatMs);
  }

  public DaemonInfo toWire() {
    DaemonInfo.Builder b =
        DaemonInfo.newBuilder()
            .setDaemonId(id)
            .setKind(kind)
            .setAddress(address)
            .setStatus(status)
            .setLastHeartbeatMs(lastHeartbeatMs);
    node.ifPresent(n -> b.setNodeId(n.value()));
    return b.build();
  }

  static Daemon fromWire(DaemonInfo info) {
    return new Daemon(
        info.getDaemonId(),
        info.getKind(),
        info.getAddress(),
        info.hasNodeId() ? Optional.of(NodeId.of(info.getNodeId())) : Optional.empty(),
        info.getStatus(),
        info.getLastHeartbeatMs());
  }
}
