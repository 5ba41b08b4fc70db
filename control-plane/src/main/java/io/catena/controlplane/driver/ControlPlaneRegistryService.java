package io.catena.controlplane.driver;

import io.catena.protocol.agent.ControlPlaneRegistryGrpc;
import io.catena.protocol.agent.Disk;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ControlPlaneRegistry.Join}: checks the join token and records the agent under its node
 * name, which is its {@code node} label, else the id it joined with before, else its host name.
 * Plain gRPC; no certificate is issued (loopback clusters; issuing is future work).
 */
public final class ControlPlaneRegistryService
    extends ControlPlaneRegistryGrpc.ControlPlaneRegistryImplBase {

  private static final Logger log = LoggerFactory.getLogger(ControlPlaneRegistryService.class);

  /** The label an agent names its node with ({@code catena agent --labels node=...}). */
  public static final String NODE_LABEL = "node";

  private final byte[] token;
  private final AgentRegistry registry;
  private final Runnable onJoin;

  public ControlPlaneRegistryService(String joinToken, AgentRegistry registry, Runnable onJoin) {
    this.token = joinToken.getBytes(StandardCharsets.UTF_8);
    this.registry = registry;
    this.onJoin = onJoin;
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinReply> reply) {
    if (!MessageDigest.isEqual(token, request.getJoinToken().getBytes(StandardCharsets.UTF_8))) {
      reply.onError(
          Status.PERMISSION_DENIED
              .withDescription("the join token is not this control plane's")
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
    String name = nodeName(request);
    List<JoinedNode.DiskFact> disks =
        request.getFacts().getDisksList().stream()
            .map(
                (Disk d) ->
                    new JoinedNode.DiskFact(d.getMountPoint(), d.getTotalBytes(), d.getFreeBytes()))
            .toList();
    registry.register(
        new JoinedNode(name, request.getAgentEndpoint(), request.getFacts().getLabelsMap(), disks));
    log.info("agent of node {} joined from {}", name, request.getAgentEndpoint());
    reply.onNext(JoinReply.newBuilder().setNodeId(name).build());
    reply.onCompleted();
    onJoin.run();
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
