package io.catena.agents;

import io.catena.protocol.agent.DaemonStatus;
import io.catena.protocol.agent.NodeAgentGrpc;
import io.catena.protocol.agent.StatusRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;

/** gRPC channels to agents under test, closed together. */
final class AgentClients implements AutoCloseable {

  private final List<ManagedChannel> channels = new ArrayList<>();

  NodeAgentGrpc.NodeAgentBlockingStub plain(HostPort endpoint) {
    return NodeAgentGrpc.newBlockingStub(channel(endpoint, InsecureChannelCredentials.create()));
  }

  ManagedChannel channel(HostPort endpoint, ChannelCredentials credentials) {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(endpoint.host(), endpoint.port(), credentials).build();
    channels.add(channel);
    return channel;
  }

  static DaemonStatus status(NodeAgentGrpc.NodeAgentBlockingStub agent, String name) {
    return agent.status(StatusRequest.newBuilder().setName(name).build()).getDaemons(0);
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
  }
}
