package io.catena.storage.auth;

import io.catena.protocol.meta.TenantServiceGrpc;
import io.catena.protocol.meta.VerifyTokenReply;
import io.catena.protocol.meta.VerifyTokenRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Verifies tokens with meta's {@code TenantService.VerifyToken}. */
public final class MetaTokenSource implements CachedTokenGrants.Source {

  private final TenantServiceGrpc.TenantServiceBlockingStub stub;
  private final Duration deadline;

  public MetaTokenSource(ManagedChannel meta, Duration deadline) {
    this.stub = TenantServiceGrpc.newBlockingStub(meta);
    this.deadline = deadline;
  }

  @Override
  public Optional<TokenGrant> verify(String token) {
    try {
      VerifyTokenReply reply =
          stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .verifyToken(VerifyTokenRequest.newBuilder().setToken(token).build());
      Set<Integer> tables = new HashSet<>(reply.getChainTableIdsList());
      return Optional.of(
          new TokenGrant(
              reply.getTenantId(),
              reply.getTokenId(),
              reply.getAdmin(),
              tables,
              reply.getExpiresAtMs()));
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNAUTHENTICATED
          || code == Status.Code.PERMISSION_DENIED
          || code == Status.Code.NOT_FOUND
          || code == Status.Code.INVALID_ARGUMENT) {
        return Optional.empty();
      }
      throw new GrantSourceUnavailableException("meta VerifyToken: " + e.getStatus(), e);
    }
  }
}
