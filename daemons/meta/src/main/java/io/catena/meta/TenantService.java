package io.catena.meta;

import io.catena.protocol.meta.CreateTenantRequest;
import io.catena.protocol.meta.DeleteTenantReply;
import io.catena.protocol.meta.DeleteTenantRequest;
import io.catena.protocol.meta.IssueTokenRequest;
import io.catena.protocol.meta.ListTenantsReply;
import io.catena.protocol.meta.ListTenantsRequest;
import io.catena.protocol.meta.RevocationEvent;
import io.catena.protocol.meta.RevokeTokenReply;
import io.catena.protocol.meta.RevokeTokenRequest;
import io.catena.protocol.meta.RotateTokenRequest;
import io.catena.protocol.meta.SetQuotaRequest;
import io.catena.protocol.meta.TenantReply;
import io.catena.protocol.meta.TenantServiceGrpc;
import io.catena.protocol.meta.TokenReply;
import io.catena.protocol.meta.VerifyTokenReply;
import io.catena.protocol.meta.VerifyTokenRequest;
import io.catena.protocol.meta.WatchRevocationsRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC face of {@link TenantRegistry}; every call but VerifyToken and WatchRevocations needs an
 * admin token.
 */
public final class TenantService extends TenantServiceGrpc.TenantServiceImplBase {

  private final TenantRegistry registry;
  private final TokenVerifier verifier;
  private final RevocationFeed revocations;

  public TenantService(
      TenantRegistry registry, TokenVerifier verifier, RevocationFeed revocations) {
    this.registry = registry;
    this.verifier = verifier;
    this.revocations = revocations;
  }

  private static void requireAdmin() {
    Principal who = AuthInterceptor.principal();
    if (!who.admin()) {
      throw new MetaException(
          MetaErrorCode.PERMISSION_DENIED,
          "tenant administration needs a token of the system tenant");
    }
  }

  private static TokenReply reply(IssuedToken t) {
    return TokenReply.newBuilder()
        .setTokenId(t.tokenId())
        .setToken(t.token())
        .setTenantId(t.tenantId())
        .build();
  }

  @Override
  public void createTenant(CreateTenantRequest req, StreamObserver<TenantReply> out) {
    Calls.unary(
        out,
        () -> {
          requireAdmin();
          Tenant t =
              registry.createTenant(
                  req.getName(),
                  ProtoMapper.quota(req.getQuota()),
                  req.getChainTableIdsList(),
                  req.getDefaultStripeSize());
          return ProtoMapper.tenantReply(new MetaStore.TenantStatus(t, Usage.NONE));
        });
  }

  @Override
  public void listTenants(ListTenantsRequest req, StreamObserver<ListTenantsReply> out) {
    Calls.unary(
        out,
        () -> {
          requireAdmin();
          ListTenantsReply.Builder b = ListTenantsReply.newBuilder();
          registry.list().forEach(s -> b.addTenants(ProtoMapper.tenantReply(s)));
          return b.build();
        });
  }

  @Override
  public void setQuota(SetQuotaRequest req, StreamObserver<TenantReply> out) {
    Calls.unary(
        out,
        () -> {
          requireAdmin();
          registry.setQuota(req.getTenantId(), ProtoMapper.quota(req.getQuota()));
          return ProtoMapper.tenantReply(registry.get(req.getTenantId()));
        });
  }

  @Override
  public void issueToken(IssueTokenRequest req, StreamObserver<TokenReply> out) {
    Calls.unary(
        out,
        () -> {
          requireAdmin();
          return reply(registry.issueToken(req.getTenantId(), req.getUid(), req.getGid()));
        });
  }

  @Override
  public void rotateToken(RotateTokenRequest req, StreamObserver<TokenReply> out) {
    Calls.unary(
        out,
        () -> {
          requireAdmin();
          IssuedToken t = registry.rotateToken(req.getTokenId(), req.getGraceSeconds());
          verifier.forget(req.getTokenId());
          revocations.wake();
          return reply(t);
        });
  }

  @Override
  public void revokeToken(RevokeTokenRequest req, StreamObserver<RevokeTokenReply> out) {
    Calls.unary(
        out,
        () -> {
          requireAdmin();
          registry.revokeToken(req.getTokenId());
          verifier.forget(req.getTokenId());
          revocations.wake();
          return RevokeTokenReply.getDefaultInstance();
        });
  }

  @Override
  public void deleteTenant(DeleteTenantRequest req, StreamObserver<DeleteTenantReply> out) {
    Calls.unary(
        out,
        () -> {
          requireAdmin();
          TenantRegistry.DeletedTenant d = registry.deleteTenant(req.getTenantId(), req.getPurge());
          d.tokensRevoked().forEach(verifier::forget);
          revocations.wake();
          return DeleteTenantReply.newBuilder()
              .setTenant(
                  ProtoMapper.tenantReply(new MetaStore.TenantStatus(d.tenant(), Usage.NONE))
                      .getTenant())
              .setFilesHandedToGc(d.filesHandedToGc())
              .setKvEntriesRemoved(d.kvEntriesRemoved())
              .addAllTokensRevoked(d.tokensRevoked())
              .build();
        });
  }

  @Override
  public void watchRevocations(WatchRevocationsRequest req, StreamObserver<RevocationEvent> out) {
    revocations.subscribe(
        req.getAfterSeq(), req.getFromNow(), (ServerCallStreamObserver<RevocationEvent>) out);
  }

  @Override
  public void verifyToken(VerifyTokenRequest req, StreamObserver<VerifyTokenReply> out) {
    Calls.unary(
        out,
        () -> {
          Principal p = verifier.verify(req.getToken());
          return ProtoMapper.verified(p, registry.get(p.tenantId()).tenant());
        });
  }
}
