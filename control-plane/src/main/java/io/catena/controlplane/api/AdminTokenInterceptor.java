package io.catena.controlplane.api;

import io.catena.protocol.common.ErrorCode;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Mutations of the control plane API need {@code authorization: Bearer <admin token>}; reads
 * (status, lists, watches) are open to anyone who can reach the port. The join RPC has its own
 * token and is not checked here.
 */
public final class AdminTokenInterceptor implements ServerInterceptor {

  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** Methods anyone may call, by bare method name. */
  static final Set<String> READS =
      Set.of(
          "GetStatus",
          "ListNodes",
          "ListTargets",
          "ListChains",
          "ListTenants",
          "GetOperation",
          "ListOperations",
          "WatchEvents",
          "ListAudit",
          "GetHotSpots",
          "GetThroughput",
          "GetSelfHealing",
          "Join");

  private final byte[] expected;

  public AdminTokenInterceptor(String adminToken) {
    this.expected = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    if (READS.contains(method)) {
      return next.startCall(call, headers);
    }
    String given = headers.get(AUTHORIZATION);
    if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      var error =
          ApiErrors.status(
              Status.UNAUTHENTICATED,
              ErrorCode.PERMISSION_DENIED,
              method + " needs the control plane's admin token (authorization: Bearer ...)",
              false);
      call.close(error.getStatus(), error.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
