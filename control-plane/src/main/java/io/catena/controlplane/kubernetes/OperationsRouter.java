package io.catena.controlplane.kubernetes;

import io.catena.controlplane.api.ApiErrors;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.controlplane.OperationsGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/**
 * The Operations gRPC service of the operator: each call names its cluster in the metadata {@code
 * catena-cluster: <namespace>/<name>} (the CLI's {@code --cluster}) and is handed to that cluster's
 * own Operations service, so every call behaves exactly as against a control plane.
 */
public final class OperationsRouter {

  /** The metadata key naming the cluster a call is for. */
  public static final Metadata.Key<String> CLUSTER =
      Metadata.Key.of("catena-cluster", Metadata.ASCII_STRING_MARSHALLER);

  private final OperatorOperations clusters;

  public OperationsRouter(OperatorOperations clusters) {
    this.clusters = clusters;
  }

  /** The Operations service definition to add to a server (behind the admin-token check). */
  public ServerServiceDefinition definition() {
    ServerServiceDefinition template = new OperationsGrpc.OperationsImplBase() {}.bindService();
    ServerServiceDefinition.Builder out =
        ServerServiceDefinition.builder(OperationsGrpc.getServiceDescriptor());
    for (ServerMethodDefinition<?, ?> method : template.getMethods()) {
      out.addMethod(route(method));
    }
    return out.build();
  }

  private <Q, R> ServerMethodDefinition<Q, R> route(ServerMethodDefinition<Q, R> method) {
    String name = method.getMethodDescriptor().getFullMethodName();
    return ServerMethodDefinition.create(
        method.getMethodDescriptor(),
        (call, headers) -> {
          String key = headers.get(CLUSTER);
          Optional<ClusterOperations> ops;
          try {
            if (key == null || key.isBlank()) {
              throw new IllegalArgumentException(
                  "name the cluster: gRPC metadata catena-cluster: <namespace>/<name> (the CLI's"
                      + " --cluster)");
            }
            ops = clusters.forCluster(key);
          } catch (IllegalArgumentException e) {
            return refuse(
                call,
                ApiErrors.status(
                    Status.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, e.getMessage(), false));
          } catch (RuntimeException e) {
            return refuse(call, ApiErrors.toStatus(e));
          }
          if (ops.isEmpty()) {
            return refuse(
                call,
                ApiErrors.status(
                    Status.NOT_FOUND, ErrorCode.NOT_FOUND, "no CatenaCluster " + key, false));
          }
          @SuppressWarnings("unchecked")
          ServerMethodDefinition<Q, R> target =
              (ServerMethodDefinition<Q, R>) ops.get().service().getMethod(name);
          return target.getServerCallHandler().startCall(call, headers);
        });
  }

  /**
   * Serves the routed Operations service on {@code address}; mutations need {@code authorization:
   * Bearer <adminToken>} as on a control plane, reads are open.
   */
  public io.grpc.Server serve(java.net.InetSocketAddress address, String adminToken)
      throws java.io.IOException {
    return io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(address)
        .addService(
            io.grpc.ServerInterceptors.intercept(
                definition(), new io.catena.controlplane.api.AdminTokenInterceptor(adminToken)))
        .build()
        .start();
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(
      ServerCall<Q, R> call, StatusRuntimeException error) {
    call.close(
        error.getStatus(), error.getTrailers() == null ? new Metadata() : error.getTrailers());
    return new ServerCall.Listener<>() {};
  }
}
