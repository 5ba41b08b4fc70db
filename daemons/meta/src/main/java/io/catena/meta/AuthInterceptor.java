package io.catena.meta;

import io.catena.protocol.meta.TenantServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

/**
 * Authenticates every call by its {@code authorization: Bearer <token>} header and puts the
 * resulting {@link Principal} into the call's context. Only VerifyToken, which carries the token to
 * check in its request, and WatchRevocations (token ids, no secrets) go without.
 */
public final class AuthInterceptor implements ServerInterceptor {

  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  static final Context.Key<Principal> PRINCIPAL = Context.key("catena-principal");

  private final TokenVerifier verifier;

  public AuthInterceptor(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  /** The value of the authorization header for {@code token}. */
  public static String bearer(String token) {
    return "Bearer " + token;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (method.equals(TenantServiceGrpc.getVerifyTokenMethod().getFullMethodName())
        || method.equals(TenantServiceGrpc.getWatchRevocationsMethod().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    try {
      Principal principal = verifier.verify(token(headers.get(AUTHORIZATION)));
      return Contexts.interceptCall(
          Context.current().withValue(PRINCIPAL, principal), call, headers, next);
    } catch (MetaException e) {
      StatusRuntimeException status = GrpcErrors.toStatus(e);
      call.close(status.getStatus(), status.getTrailers());
      return new ServerCall.Listener<>() {};
    }
  }

  private static String token(String header) {
    if (header == null) {
      throw new MetaException(
          MetaErrorCode.UNAUTHENTICATED, "no token: send 'authorization: Bearer <token>'");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new MetaException(
          MetaErrorCode.UNAUTHENTICATED, "authorization header must read 'Bearer <token>'");
    }
    return header.substring(7).trim();
  }

  static Principal principal() {
    Principal p = PRINCIPAL.get();
    if (p == null) {
      throw new MetaException(MetaErrorCode.UNAUTHENTICATED, "call was not authenticated");
    }
    return p;
  }
}
