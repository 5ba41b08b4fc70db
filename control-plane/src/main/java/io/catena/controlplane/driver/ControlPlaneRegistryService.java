package io.catena.controlplane.driver;

import io.catena.controlplane.security.JoinTokens;
import io.catena.controlplane.security.NodeCertificates;
import io.catena.protocol.agent.ControlPlaneRegistryGrpc;
import io.catena.protocol.agent.Disk;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.catena.protocol.agent.RenewRequest;
import io.catena.protocol.routing.HostPort;
import io.catena.protocol.security.PeerIdentity;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ControlPlaneRegistry.Join}: checks the join token (or, for a node that joined before, the
 * node certificate it calls with) and records the agent under its node name, which is its {@code
 * node} label, else the id it joined with before, else its host name. When the control plane has a
 * CA, the reply carries the node's certificate, signed from the agent's request for the addresses
 * it serves on. {@code Renew} gives a node a fresh certificate for the name its current one names.
 */
public final class ControlPlaneRegistryService
    extends ControlPlaneRegistryGrpc.ControlPlaneRegistryImplBase {

  private static final Logger log = LoggerFactory.getLogger(ControlPlaneRegistryService.class);

  /** The label an agent names its node with ({@code catena agent --labels node=...}). */
  public static final String NODE_LABEL = "node";

  private final JoinTokens tokens;
  private final Optional<NodeCertificates> certificates;
  private final AgentRegistry registry;
  private final Runnable onJoin;

  public ControlPlaneRegistryService(
      JoinTokens tokens,
      Optional<NodeCertificates> certificates,
      AgentRegistry registry,
      Runnable onJoin) {
    this.tokens = tokens;
    this.certificates = certificates;
    this.registry = registry;
    this.onJoin = onJoin;
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinReply> reply) {
    String name = nodeName(request);
    Optional<PeerIdentity> caller = PeerIdentity.caller();
    boolean knownNode =
        caller.isPresent()
            && caller.get().role() == PeerIdentity.Role.NODE
            && caller.get().name().equals(name);
    if (!knownNode) {
      Optional<String> refusal = tokens.refusal(request.getJoinToken());
      if (refusal.isPresent()) {
        reply.onError(Status.PERMISSION_DENIED.withDescription(refusal.get()).asRuntimeException());
        return;
      }
    }
    // A node re-joining with its (valid) certificate keeps it and needs to ask for none.
    boolean issue = certificates.isPresent() && !request.getCsrPem().isBlank();
    if (certificates.isPresent() && request.getCsrPem().isBlank() && !knownNode) {
      reply.onError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  "this control plane issues node certificates: join with a certificate request"
                      + " (give the agent --control-plane-ca)")
              .asRuntimeException());
      return;
    }
    if (request.getAgentEndpoint().isBlank()) {
      reply.onError(
          Status.INVALID_ARGUMENT
              .withDescription("agent_endpoint is required")
              .asRuntimeException());
      return;
    }
    JoinReply.Builder answer = JoinReply.newBuilder().setNodeId(name);
    if (issue) {
      try {
        withCertificate(
            answer,
            request.getCsrPem(),
            List.of(
                HostPort.parse(request.getAgentEndpoint()).host(),
                request.getFacts().getHostname()));
      } catch (IllegalArgumentException e) {
        reply.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        return;
      }
    }
    List<JoinedNode.DiskFact> disks =
        request.getFacts().getDisksList().stream()
            .map(
                (Disk d) ->
                    new JoinedNode.DiskFact(d.getMountPoint(), d.getTotalBytes(), d.getFreeBytes()))
            .toList();
    registry.register(
        new JoinedNode(name, request.getAgentEndpoint(), request.getFacts().getLabelsMap(), disks));
    log.info("agent of node {} joined from {}", name, request.getAgentEndpoint());
    reply.onNext(answer.build());
    reply.onCompleted();
    onJoin.run();
  }

  @Override
  public void renew(RenewRequest request, StreamObserver<JoinReply> reply) {
    Optional<PeerIdentity> caller = PeerIdentity.caller();
    if (caller.isEmpty() || caller.get().role() != PeerIdentity.Role.NODE) {
      reply.onError(
          Status.UNAUTHENTICATED
              .withDescription("Renew needs the node certificate that is being renewed")
              .asRuntimeException());
      return;
    }
    if (certificates.isEmpty()) {
      reply.onError(
          Status.FAILED_PRECONDITION
              .withDescription("this control plane has no CA")
              .asRuntimeException());
      return;
    }
    String name = caller.get().name();
    Optional<JoinedNode> joined = registry.find(name);
    if (joined.isEmpty()) {
      reply.onError(
          Status.PERMISSION_DENIED
              .withDescription("node " + name + " has not joined this control plane")
              .asRuntimeException());
      return;
    }
    try {
      JoinReply renewed =
          withCertificate(
                  JoinReply.newBuilder().setNodeId(name),
                  request.getCsrPem(),
                  List.of(HostPort.parse(joined.get().agentEndpoint()).host()))
              .build();
      log.info("renewed the certificate of node {}", name);
      reply.onNext(renewed);
      reply.onCompleted();
    } catch (IllegalArgumentException e) {
      reply.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  /**
   * {@code reply} with a certificate for the node it names, signed from {@code csrPem} for {@code
   * hosts}, and the CA's certificate. A request that cannot be read or does not verify: {@link
   * IllegalArgumentException}.
   */
  private JoinReply.Builder withCertificate(
      JoinReply.Builder reply, String csrPem, List<String> hosts) {
    NodeCertificates.Issued issued =
        certificates.orElseThrow().issue(reply.getNodeId(), csrPem, hosts);
    return reply.setCertChainPem(issued.certificatePem()).setCaCertPem(issued.caPem());
  }

  static String nodeName(JoinRequest request) {
    String label = request.getFacts().getLabelsMap().get(NODE_LABEL);
    if (label != null && !label.isBlank()) {
      return label;
    }
    if (!request.getNodeId().isBlank()) {
      return request.getNodeId();
    }
    return request.getFacts().getHostname();
  }
}
