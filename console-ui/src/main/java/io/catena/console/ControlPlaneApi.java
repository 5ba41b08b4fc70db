package io.catena.console;

import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.OperationsGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;

/**
 * The console's only way to the cluster: the control plane's two gRPC services over one channel
 * (in-process when the control plane is embedded, network when remote). Every unary call carries a
 * deadline so a stuck control plane shows up as an error in the UI instead of a hung task.
 */
public final class ControlPlaneApi implements AutoCloseable {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final Channel authorised;
  private final long deadlineMs;

  public ControlPlaneApi(ManagedChannel channel, String adminToken, long deadlineMs) {
    this.channel = channel;
    this.authorised =
        adminToken == null || adminToken.isBlank()
            ? channel
            : ClientInterceptors.intercept(channel, new BearerToken(adminToken));
    this.deadlineMs = deadlineMs;
  }

  public ControlPlaneApi(ManagedChannel channel, String adminToken) {
    this(channel, adminToken, 10_000);
  }

  public ControlPlaneGrpc.ControlPlaneBlockingStub controlPlane() {
    return ControlPlaneGrpc.newBlockingStub(authorised)
        .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
  }

  public OperationsGrpc.OperationsBlockingStub operations() {
    return OperationsGrpc.newBlockingStub(authorised)
        .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
  }

  /** For the event stream, which has no deadline. */
  public OperationsGrpc.OperationsStub operationsStreaming() {
    return OperationsGrpc.newStub(authorised);
  }

  public String target() {
    return channel.authority();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  private record BearerToken(String token) implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          headers.put(AUTHORIZATION, "Bearer " + token);
          super.start(listener, headers);
        }
      };
    }
  }
}
