package io.catena.client.storage;

import io.catena.protocol.grpc.AliasingMarshallers;
import io.catena.protocol.security.TransportSecurity;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per storage daemon address, opened on first use. Reads are parsed by {@link
 * DirectReadMarshaller} straight into the caller's buffers; write requests serialise from them.
 */
public final class StorageChannels implements AutoCloseable {

  static final int MAX_MESSAGE_BYTES = 80 * 1024 * 1024;
  static final int FLOW_CONTROL_WINDOW = 16 * 1024 * 1024;

  static final MethodDescriptor<WriteRequest, WriteResponse> WRITE =
      AliasingMarshallers.aliasing(StorageServiceGrpc.getWriteMethod());

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Duration callTimeout;
  private final TransportSecurity transport;
  private volatile boolean closed;

  public StorageChannels(Duration callTimeout) {
    this(callTimeout, TransportSecurity.plaintext());
  }

  /** How it dials the daemons; the data channel dials with the same. */
  public TransportSecurity transport() {
    return transport;
  }

  public StorageChannels(Duration callTimeout, TransportSecurity transport) {
    this.callTimeout = callTimeout;
    this.transport = transport;
  }

  ManagedChannel channel(String address) {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
    return channels.computeIfAbsent(
        address,
        a ->
            NettyChannelBuilder.forTarget(a, transport.channelCredentials(a))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                .build());
  }

  /**
   * One unary call; the future fails with the call's {@code StatusRuntimeException}. Cancelling the
   * future cancels the call.
   */
  <Q, R> CompletableFuture<R> call(String address, MethodDescriptor<Q, R> method, Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
    // Not bound to the caller's gRPC context: a client used inside a server call must not see its
    // I/O cancelled (and retried in vain) when that call ends; the client cancels on its own terms.
    io.grpc.Context detached = io.grpc.Context.current().fork();
    io.grpc.Context previous = detached.attach();
    try {
      ClientCall<Q, R> call =
          channel(address)
              .newCall(
                  method,
                  CallOptions.DEFAULT.withDeadlineAfter(
                      callTimeout.toMillis(), TimeUnit.MILLISECONDS));
      // Cancelling the future (routing moved away from this daemon) cancels the RPC.
      result.whenComplete(
          (v, e) -> {
            if (e instanceof java.util.concurrent.CancellationException) {
              call.cancel("routing moved away from " + address, null);
            }
          });
      ClientCalls.asyncUnaryCall(
          call,
          request,
          new StreamObserver<R>() {
            @Override
            public void onNext(R value) {
              result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
          });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    } finally {
      detached.detach(previous);
    }
    return result;
  }

  public boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
