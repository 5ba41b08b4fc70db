package io.catena.agents;

import io.catena.protocol.agent.ControlPlaneRegistryGrpc;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The control plane's side of the join contract, as small as a test needs. */
final class FakeControlPlane extends ControlPlaneRegistryGrpc.ControlPlaneRegistryImplBase
    implements AutoCloseable {

  final List<JoinRequest> joins = new CopyOnWriteArrayList<>();
  private final String token;
  private final JoinReply reply;
  private final Server server;

  FakeControlPlane(String token, JoinReply reply) throws IOException {
    this.token = token;
    this.reply = reply;
    this.server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .addService(this)
            .build()
            .start();
  }

  HostPort address() {
    return new HostPort("127.0.0.1", server.getPort());
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinReply> observer) {
    joins.add(request);
    if (!request.getJoinToken().equals(token)) {
      observer.onError(
          Status.PERMISSION_DENIED.withDescription("unknown join token").asRuntimeException());
      return;
    }
    observer.onNext(reply);
    observer.onCompleted();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
