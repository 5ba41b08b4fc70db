package io.catena.controlplane.tenant;

import io.catena.protocol.meta.CreateTenantRequest;
import io.catena.protocol.meta.DeleteTenantReply;
import io.catena.protocol.meta.DeleteTenantRequest;
import io.catena.protocol.meta.IssueTokenRequest;
import io.catena.protocol.meta.ListTenantsRequest;
import io.catena.protocol.meta.Quota;
import io.catena.protocol.meta.RotateTokenRequest;
import io.catena.protocol.meta.SetQuotaRequest;
import io.catena.protocol.meta.TenantReply;
import io.catena.protocol.meta.TenantServiceGrpc;
import io.catena.protocol.meta.TokenReply;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@link TenantAdmin} over meta's TenantService, authorised by the system tenant's token. */
public final class GrpcTenantAdmin implements TenantAdmin, AutoCloseable {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final Supplier<String> adminToken;

  /** {@code adminToken} is read on every call (meta writes it at its first start). */
  public GrpcTenantAdmin(String endpoint, Supplier<String> adminToken) {
    this(endpoint, adminToken, TransportSecurity.plaintext());
  }

  public GrpcTenantAdmin(
      String endpoint, Supplier<String> adminToken, TransportSecurity transport) {
    this.channel = Grpc.newChannelBuilder(endpoint, transport.channelCredentials(endpoint)).build();
    this.adminToken = adminToken;
  }

  private <T> T call(Function<TenantServiceGrpc.TenantServiceBlockingStub, T> call) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + adminToken.get());
    try {
      return call.apply(
          TenantServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .withDeadlineAfter(10, TimeUnit.SECONDS));
    } catch (StatusRuntimeException e) {
      TenantException.Reason reason =
          switch (e.getStatus().getCode()) {
            case INVALID_ARGUMENT, PERMISSION_DENIED, RESOURCE_EXHAUSTED ->
                TenantException.Reason.INVALID;
            case FAILED_PRECONDITION -> TenantException.Reason.REFUSED;
            case NOT_FOUND -> TenantException.Reason.NOT_FOUND;
            case ALREADY_EXISTS -> TenantException.Reason.ALREADY_EXISTS;
            default -> TenantException.Reason.UNAVAILABLE;
          };
      String detail = e.getStatus().getDescription();
      throw new TenantException(
          reason, "meta: " + e.getStatus().getCode() + (detail == null ? "" : " " + detail), e);
    }
  }

  @Override
  public List<TenantRecord> list() {
    return call(s -> s.listTenants(ListTenantsRequest.getDefaultInstance()))
        .getTenantsList()
        .stream()
        .map(GrpcTenantAdmin::record)
        .toList();
  }

  @Override
  public TenantRecord create(
      String name, long quotaBytes, long quotaFiles, List<Integer> chainTables) {
    return record(
        call(
            s ->
                s.createTenant(
                    CreateTenantRequest.newBuilder()
                        .setName(name)
                        .setQuota(quota(quotaBytes, quotaFiles))
                        .addAllChainTableIds(chainTables)
                        .build())));
  }

  @Override
  public TenantRecord setQuota(long tenantId, long quotaBytes, long quotaFiles) {
    return record(
        call(
            s ->
                s.setQuota(
                    SetQuotaRequest.newBuilder()
                        .setTenantId(tenantId)
                        .setQuota(quota(quotaBytes, quotaFiles))
                        .build())));
  }

  @Override
  public IssuedToken issueToken(long tenantId) {
    TokenReply r =
        call(s -> s.issueToken(IssueTokenRequest.newBuilder().setTenantId(tenantId).build()));
    return new IssuedToken(r.getTokenId(), r.getToken());
  }

  @Override
  public IssuedToken rotateToken(long tokenId) {
    TokenReply r =
        call(
            s ->
                s.rotateToken(
                    RotateTokenRequest.newBuilder()
                        .setTokenId(tokenId)
                        .setGraceSeconds(0)
                        .build()));
    return new IssuedToken(r.getTokenId(), r.getToken());
  }

  @Override
  public DeletedTenant delete(long tenantId, boolean purge) {
    DeleteTenantReply r =
        call(
            s ->
                s.deleteTenant(
                    DeleteTenantRequest.newBuilder()
                        .setTenantId(tenantId)
                        .setPurge(purge)
                        .build()));
    return new DeletedTenant(
        record(TenantReply.newBuilder().setTenant(r.getTenant()).build()),
        r.getFilesHandedToGc(),
        r.getKvEntriesRemoved(),
        r.getTokensRevokedCount());
  }

  private static Quota quota(long bytes, long files) {
    return Quota.newBuilder().setMaxBytes(bytes).setMaxInodes(files).build();
  }

  private static TenantRecord record(TenantReply r) {
    return new TenantRecord(
        r.getTenant().getId(),
        r.getTenant().getName(),
        r.getTenant().getQuota().getMaxBytes(),
        r.getTenant().getQuota().getMaxInodes(),
        r.getUsage().getBytes(),
        r.getUsage().getInodes(),
        r.getTenant().getChainTableIdsList());
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
