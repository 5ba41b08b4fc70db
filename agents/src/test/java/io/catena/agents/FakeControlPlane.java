package io.catena.agents;

import io.catena.protocol.agent.ControlPlaneRegistryGrpc;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.catena.protocol.agent.RenewRequest;
import io.catena.protocol.security.CallerInterceptor;
import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.Pem;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The control plane's side of the join contract, as small as a test needs: plain text with a fixed
 * reply, or TLS with a real cluster CA that signs the agent's request as the real one does.
 */
final class FakeControlPlane extends ControlPlaneRegistryGrpc.ControlPlaneRegistryImplBase
    implements AutoCloseable {

  final List<JoinRequest> joins = new CopyOnWriteArrayList<>();
  final List<String> renewedFor = new CopyOnWriteArrayList<>();
  private final String token;
  private final JoinReply reply;
  private final Optional<CertificateAuthority> ca;
  private final Server server;

  FakeControlPlane(String token, JoinReply reply) throws IOException {
    this.token = token;
    this.reply = reply;
    this.ca = Optional.empty();
    this.server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .addService(this)
            .build()
            .start();
  }

  /** A control plane serving TLS with {@code ca}'s certificate {@code self}, issuing from it. */
  FakeControlPlane(String token, CertificateAuthority ca, TransportSecurity self)
      throws IOException {
    this.token = token;
    this.reply = null;
    this.ca = Optional.of(ca);
    this.server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), self.serverCredentials("127.0.0.1"))
            .addService(
                ServerInterceptors.intercept(
                    this,
                    CallerInterceptor.builder()
                        .require(ControlPlaneRegistryGrpc.getRenewMethod(), PeerIdentity.Role.NODE)
                        .build()))
            .build()
            .start();
  }

  HostPort address() {
    return new HostPort("127.0.0.1", server.getPort());
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinReply> observer) {
    joins.add(request);
    boolean knownNode = PeerIdentity.caller().isPresent();
    if (!knownNode && !request.getJoinToken().equals(token)) {
      observer.onError(
          Status.PERMISSION_DENIED.withDescription("unknown join token").asRuntimeException());
      return;
    }
    if (ca.isEmpty()) {
      observer.onNext(reply);
    } else {
      JoinReply.Builder answer = JoinReply.newBuilder().setNodeId("node-1");
      if (!request.getCsrPem().isEmpty()) {
        answer.setCertChainPem(sign(request.getCsrPem(), "node-1"));
        answer.setCaCertPem(ca.get().certificatePem());
      }
      observer.onNext(answer.build());
    }
    observer.onCompleted();
  }

  @Override
  public void renew(RenewRequest request, StreamObserver<JoinReply> observer) {
    String node = PeerIdentity.caller().orElseThrow().name();
    renewedFor.add(node);
    observer.onNext(
        JoinReply.newBuilder()
            .setNodeId(node)
            .setCertChainPem(sign(request.getCsrPem(), node))
            .setCaCertPem(ca.orElseThrow().certificatePem())
            .build());
    observer.onCompleted();
  }

  private String sign(String csr, String node) {
    return Pem.encode(
        ca.orElseThrow()
            .sign(
                Pem.certificationRequest(csr),
                PeerIdentity.node(node),
                List.of("127.0.0.1"),
                Duration.ofDays(1)));
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
