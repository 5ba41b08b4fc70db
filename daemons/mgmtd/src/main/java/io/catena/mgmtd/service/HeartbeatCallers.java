package io.catena.mgmtd.service;

import io.catena.protocol.mgmtd.HeartbeatRequest;
import io.catena.protocol.security.PeerIdentity;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether a heartbeat comes from the node it speaks for. On a TLS listener the caller holds a node
 * certificate (the interceptor demands one); a storage heartbeat names a node id, and that node's
 * {@code node} label (set by the control plane when it adds the node) must be the certificate's
 * name. Otherwise any node could re-point another's address or report its replicas up to date.
 */
final class HeartbeatCallers {

  /** The label that carries a storage node's name, which its certificate names too. */
  static final String NODE_LABEL = "node";

  private HeartbeatCallers() {}

  /**
   * Why the caller may not send {@code request}, or empty. The topology is read only for a caller
   * with a certificate (not on every heartbeat of a plain-text cluster).
   */
  static Optional<String> refusal(HeartbeatRequest request, Supplier<ClusterTopology> topology) {
    Optional<PeerIdentity> caller = PeerIdentity.caller();
    if (caller.isEmpty() || !request.hasNodeId()) {
      // plain text on loopback (no certificates at all), or a daemon that speaks for no node
      return Optional.empty();
    }
    if (caller.get().role() != PeerIdentity.Role.NODE) {
      return Optional.of("heartbeats come from node certificates, not " + caller.get());
    }
    Optional<Node> node = topology.get().findNode(NodeId.of(request.getNodeId()));
    if (node.isEmpty()) {
      // not added yet: mgmtd ignores heartbeats of unknown nodes' targets anyway
      return Optional.empty();
    }
    String name = node.get().labels().get(NODE_LABEL);
    if (!caller.get().name().equals(name)) {
      return Optional.of(
          caller.get()
              + " may not heartbeat for node "
              + request.getNodeId()
              + (name == null ? " (which has no node label)" : " (" + name + ")"));
    }
    return Optional.empty();
  }
}
