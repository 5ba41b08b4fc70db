package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.protocol.meta.CloseRequest;
import io.catena.protocol.meta.CreateRequest;
import io.catena.protocol.meta.CreateTenantRequest;
import io.catena.protocol.meta.IssueTokenRequest;
import io.catena.protocol.meta.ListTenantsRequest;
import io.catena.protocol.meta.MetaErrorCode;
import io.catena.protocol.meta.MetaServiceGrpc;
import io.catena.protocol.meta.MkdirRequest;
import io.catena.protocol.meta.OpenRequest;
import io.catena.protocol.meta.PathRequest;
import io.catena.protocol.meta.Quota;
import io.catena.protocol.meta.ReadDirRequest;
import io.catena.protocol.meta.RenameRequest;
import io.catena.protocol.meta.RevocationEvent;
import io.catena.protocol.meta.RevokeTokenRequest;
import io.catena.protocol.meta.RotateTokenRequest;
import io.catena.protocol.meta.SetQuotaRequest;
import io.catena.protocol.meta.StatRequest;
import io.catena.protocol.meta.SymlinkRequest;
import io.catena.protocol.meta.TenantServiceGrpc;
import io.catena.protocol.meta.TokenReply;
import io.catena.protocol.meta.TruncateRequest;
import io.catena.protocol.meta.VerifyTokenRequest;
import io.catena.protocol.meta.WatchRevocationsRequest;
import io.catena.protocol.meta.WhoAmIRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The meta services in-process: authentication, tenant administration, the wire form of every
 * operation and error, and tenant isolation.
 */
class GrpcMetaTest {

  private MetaFixture fx;
  private Server server;
  private ManagedChannel channel;
  private String adminToken;

  @BeforeEach
  void start() throws Exception {
    fx = new MetaFixture();
    adminToken = fx.node.tenants().bootstrap().orElseThrow().token();
    String name = "meta-" + UUID.randomUUID();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
    fx.node.services().forEach(builder::addService);
    server = builder.build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    server.awaitTermination(30, TimeUnit.SECONDS);
    fx.close();
  }

  private MetaServiceGrpc.MetaServiceBlockingStub meta(String token) {
    return MetaServiceGrpc.newBlockingStub(channel).withInterceptors(auth(token));
  }

  private TenantServiceGrpc.TenantServiceBlockingStub admin(String token) {
    return TenantServiceGrpc.newBlockingStub(channel).withInterceptors(auth(token));
  }

  private static io.grpc.ClientInterceptor auth(String token) {
    Metadata headers = new Metadata();
    if (token != null) {
      headers.put(AuthInterceptor.AUTHORIZATION, AuthInterceptor.bearer(token));
    }
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private TokenReply newTenant(String name) {
    long id =
        admin(adminToken)
            .createTenant(
                CreateTenantRequest.newBuilder()
                    .setName(name)
                    .addChainTableIds(1)
                    .setDefaultStripeSize(2)
                    .build())
            .getTenant()
            .getId();
    return admin(adminToken).issueToken(IssueTokenRequest.newBuilder().setTenantId(id).build());
  }

  /** The first message of a revocation stream, then the stream is cancelled. */
  private RevocationEvent firstEvent(WatchRevocationsRequest request) throws Exception {
    try (io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation()) {
      return ctx.call(
          () -> TenantServiceGrpc.newBlockingStub(channel).watchRevocations(request).next());
    }
  }

  @Test
  void inodeIdsCarryTheTenantAndTheRevocationStreamReplaysWhatASubscriberMissed() throws Exception {
    RevocationEvent now = firstEvent(WatchRevocationsRequest.newBuilder().setFromNow(true).build());
    assertThat(now.getTokenIdsList()).isEmpty();
    assertThat(now.getReset()).isFalse();

    TokenReply acme = newTenant("acme");
    TokenReply beta = newTenant("beta");
    long file =
        meta(acme.getToken())
            .create(CreateRequest.newBuilder().setPath("/f").setExclusive(true).build())
            .getInode()
            .getId();
    assertThat(io.catena.protocol.chunk.InodeIds.tenantOf(file)).hasValue(acme.getTenantId());

    admin(adminToken)
        .revokeToken(RevokeTokenRequest.newBuilder().setTokenId(acme.getTokenId()).build());
    admin(adminToken)
        .rotateToken(
            RotateTokenRequest.newBuilder()
                .setTokenId(beta.getTokenId())
                .setGraceSeconds(60)
                .build());

    RevocationEvent missed =
        firstEvent(WatchRevocationsRequest.newBuilder().setAfterSeq(now.getSeq()).build());
    assertThat(missed.getReset()).isFalse();
    assertThat(missed.getTokenIdsList()).containsExactly(acme.getTokenId(), beta.getTokenId());
    assertThat(missed.getSeq()).isEqualTo(now.getSeq() + 2);
    assertThat(
            TenantServiceGrpc.newBlockingStub(channel)
                .verifyToken(VerifyTokenRequest.newBuilder().setToken(beta.getToken()).build())
                .getExpiresAtMs())
        .as("a rotated token's end is told to caches")
        .isPositive();

    RevocationEvent unknown =
        firstEvent(WatchRevocationsRequest.newBuilder().setAfterSeq(now.getSeq() + 100).build());
    assertThat(unknown.getReset()).as("a position this log never had").isTrue();
  }

  static void assertError(ThrowingCallable call, Status.Code status, MetaErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              StatusRuntimeException s = (StatusRuntimeException) e;
              assertThat(s.getStatus().getCode()).isEqualTo(status);
              assertThat(GrpcErrors.detail(s).getCode()).isEqualTo(code);
              assertThat(GrpcErrors.detail(s).getMessage()).isNotBlank();
            });
  }

  @Test
  void everyOperationWorksOverTheWire() {
    var acme = meta(newTenant("acme").getToken());
    acme.mkdir(MkdirRequest.newBuilder().setPath("/a/b").setMode(0755).setParents(true).build());
    var opened =
        acme.create(
            CreateRequest.newBuilder().setPath("/a/b/f").setMode(0644).setExclusive(true).build());
    assertThat(opened.getInode().getLayout().getChainIdsCount()).isEqualTo(2);
    var closed =
        acme.close(
            CloseRequest.newBuilder()
                .setInodeId(opened.getInode().getId())
                .setSessionId(opened.getSessionId())
                .setSetLength(true)
                .setLength(4096)
                .build());
    assertThat(closed.getInode().getLength()).isEqualTo(4096);
    assertThat(acme.stat(StatRequest.newBuilder().setPath("/a/b/f").build()).getInode().getLength())
        .isEqualTo(4096);
    assertThat(acme.open(OpenRequest.newBuilder().setPath("/a/b/f").build()).getInode().getId())
        .isEqualTo(opened.getInode().getId());
    acme.truncate(TruncateRequest.newBuilder().setPath("/a/b/f").setLength(10).build());
    acme.symlink(SymlinkRequest.newBuilder().setPath("/l").setTarget("/a/b/f").build());
    assertThat(acme.readLink(PathRequest.newBuilder().setPath("/l").build()).getTarget())
        .isEqualTo("/a/b/f");
    assertThat(
            acme.rename(RenameRequest.newBuilder().setFrom("/a/b/f").setTo("/g").build())
                .getReplaced())
        .isFalse();
    var root = acme.readDir(ReadDirRequest.newBuilder().setPath("/").build());
    assertThat(root.getEntriesList()).extracting(e -> e.getName()).containsExactly("a", "g", "l");
    acme.unlink(PathRequest.newBuilder().setPath("/g").build());
    acme.rmdir(PathRequest.newBuilder().setPath("/a/b").build());
    var me = acme.whoAmI(WhoAmIRequest.getDefaultInstance());
    assertThat(me.getTenant().getName()).isEqualTo("acme");
    assertThat(me.getUsage().getInodes()).isEqualTo(2);
  }

  @Test
  void errorsCarryTheirTypedCode() {
    var acme = meta(newTenant("acme").getToken());
    acme.mkdir(MkdirRequest.newBuilder().setPath("/d/e").setParents(true).build());
    assertError(
        () -> acme.stat(StatRequest.newBuilder().setPath("/none").build()),
        Status.Code.NOT_FOUND,
        MetaErrorCode.NOT_FOUND);
    assertError(
        () -> acme.mkdir(MkdirRequest.newBuilder().setPath("/d").build()),
        Status.Code.ALREADY_EXISTS,
        MetaErrorCode.ALREADY_EXISTS);
    assertError(
        () -> acme.rmdir(PathRequest.newBuilder().setPath("/d").build()),
        Status.Code.FAILED_PRECONDITION,
        MetaErrorCode.NOT_EMPTY);
    assertError(
        () -> acme.stat(StatRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        MetaErrorCode.INVALID_ARGUMENT);
    assertError(
        () ->
            acme.close(
                CloseRequest.newBuilder()
                    .setInodeId(
                        acme.stat(StatRequest.newBuilder().setPath("/d").build())
                            .getInode()
                            .getId())
                    .setSessionId(5)
                    .build()),
        Status.Code.FAILED_PRECONDITION,
        MetaErrorCode.NO_SESSION);
  }

  @Test
  void callsWithoutAValidTokenAreRefused() {
    assertError(
        () -> meta(null).whoAmI(WhoAmIRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        MetaErrorCode.UNAUTHENTICATED);
    assertError(
        () -> meta("not-a-token").whoAmI(WhoAmIRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        MetaErrorCode.UNAUTHENTICATED);
    String good = newTenant("acme").getToken();
    String forged = good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA");
    assertError(
        () -> meta(forged).whoAmI(WhoAmIRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        MetaErrorCode.UNAUTHENTICATED);
  }

  @Test
  void onlySystemTokensAdministerTenants() {
    String tenantToken = newTenant("acme").getToken();
    assertError(
        () -> admin(tenantToken).listTenants(ListTenantsRequest.getDefaultInstance()),
        Status.Code.PERMISSION_DENIED,
        MetaErrorCode.PERMISSION_DENIED);
    assertError(
        () ->
            admin(tenantToken)
                .createTenant(CreateTenantRequest.newBuilder().setName("evil").build()),
        Status.Code.PERMISSION_DENIED,
        MetaErrorCode.PERMISSION_DENIED);
    assertThat(
            admin(adminToken).listTenants(ListTenantsRequest.getDefaultInstance()).getTenantsList())
        .extracting(t -> t.getTenant().getName())
        .containsExactly("system", "acme");
    assertError(
        () ->
            admin(adminToken)
                .createTenant(CreateTenantRequest.newBuilder().setName("acme").build()),
        Status.Code.ALREADY_EXISTS,
        MetaErrorCode.ALREADY_EXISTS);
    assertError(
        () ->
            admin(adminToken)
                .createTenant(CreateTenantRequest.newBuilder().setName("Bad Name").build()),
        Status.Code.INVALID_ARGUMENT,
        MetaErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void quotasSetOverTheWireAreEnforced() {
    TokenReply t = newTenant("acme");
    admin(adminToken)
        .setQuota(
            SetQuotaRequest.newBuilder()
                .setTenantId(t.getTenantId())
                .setQuota(Quota.newBuilder().setMaxInodes(1))
                .build());
    var acme = meta(t.getToken());
    acme.mkdir(MkdirRequest.newBuilder().setPath("/one").build());
    assertError(
        () -> acme.mkdir(MkdirRequest.newBuilder().setPath("/two").build()),
        Status.Code.RESOURCE_EXHAUSTED,
        MetaErrorCode.QUOTA_EXCEEDED);
  }

  @Test
  void deleteTenantNeedsTheSystemTokenAndPurgeForATenantWithFilesAndRevokesItsTokens() {
    TokenReply t = newTenant("doomed");
    var asTenant = meta(t.getToken());
    asTenant.mkdir(MkdirRequest.newBuilder().setPath("/x").build());
    assertThat(asTenant.whoAmI(WhoAmIRequest.getDefaultInstance()).getTokenId())
        .isEqualTo(t.getTokenId());
    var delete =
        io.catena.protocol.meta.DeleteTenantRequest.newBuilder().setTenantId(t.getTenantId());

    assertError(
        () -> admin(t.getToken()).deleteTenant(delete.build()),
        Status.Code.PERMISSION_DENIED,
        MetaErrorCode.PERMISSION_DENIED);
    assertError(
        () -> admin(adminToken).deleteTenant(delete.build()),
        Status.Code.FAILED_PRECONDITION,
        MetaErrorCode.NOT_EMPTY);

    var reply = admin(adminToken).deleteTenant(delete.setPurge(true).build());
    assertThat(reply.getTenant().getName()).isEqualTo("doomed");
    assertThat(reply.getTokensRevokedList()).containsExactly(t.getTokenId());
    assertError(
        () -> asTenant.whoAmI(WhoAmIRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        MetaErrorCode.UNAUTHENTICATED);
    assertThat(
            admin(adminToken).listTenants(ListTenantsRequest.getDefaultInstance()).getTenantsList())
        .noneMatch(r -> r.getTenant().getName().equals("doomed"));
  }

  @Test
  void revokedAndRotatedTokensStopWorking() {
    TokenReply first = newTenant("acme");
    var viaFirst = meta(first.getToken());
    viaFirst.mkdir(MkdirRequest.newBuilder().setPath("/x").build());
    TokenReply second =
        admin(adminToken)
            .rotateToken(RotateTokenRequest.newBuilder().setTokenId(first.getTokenId()).build());
    assertThat(second.getTenantId()).isEqualTo(first.getTenantId());
    assertError(
        () -> viaFirst.whoAmI(WhoAmIRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        MetaErrorCode.UNAUTHENTICATED);
    var viaSecond = meta(second.getToken());
    assertThat(viaSecond.stat(StatRequest.newBuilder().setPath("/x").build()).getInode().getType())
        .isEqualTo(io.catena.protocol.meta.InodeType.DIRECTORY);

    TokenReply graced =
        admin(adminToken)
            .rotateToken(
                RotateTokenRequest.newBuilder()
                    .setTokenId(second.getTokenId())
                    .setGraceSeconds(3600)
                    .build());
    assertThat(viaSecond.whoAmI(WhoAmIRequest.getDefaultInstance()).getTokenId())
        .isEqualTo(second.getTokenId());
    admin(adminToken)
        .revokeToken(RevokeTokenRequest.newBuilder().setTokenId(second.getTokenId()).build());
    assertError(
        () -> viaSecond.whoAmI(WhoAmIRequest.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        MetaErrorCode.UNAUTHENTICATED);
    assertThat(meta(graced.getToken()).whoAmI(WhoAmIRequest.getDefaultInstance()).getTokenId())
        .isEqualTo(graced.getTokenId());
  }

  @Test
  void verifyTokenNamesTheTenantAndItsChainTablesWithoutAHeader() {
    TokenReply t = newTenant("acme");
    var verified =
        TenantServiceGrpc.newBlockingStub(channel)
            .verifyToken(VerifyTokenRequest.newBuilder().setToken(t.getToken()).build());
    assertThat(verified.getTenantId()).isEqualTo(t.getTenantId());
    assertThat(verified.getChainTableIdsList()).containsExactly(1);
    assertThat(verified.getAdmin()).isFalse();
    assertError(
        () ->
            TenantServiceGrpc.newBlockingStub(channel)
                .verifyToken(VerifyTokenRequest.newBuilder().setToken("ctn1.1.xyz").build()),
        Status.Code.UNAUTHENTICATED,
        MetaErrorCode.UNAUTHENTICATED);
  }

  @Test
  void aTenantNeitherSeesNorTouchesAnotherTenantsNamespace() {
    var alpha = meta(newTenant("alpha").getToken());
    var beta = meta(newTenant("beta").getToken());
    alpha.mkdir(MkdirRequest.newBuilder().setPath("/secret").build());
    var file =
        alpha.create(CreateRequest.newBuilder().setPath("/secret/data").setExclusive(true).build());
    long alphaFile = file.getInode().getId();
    long alphaDir =
        alpha.stat(StatRequest.newBuilder().setPath("/secret").build()).getInode().getId();

    assertThat(beta.readDir(ReadDirRequest.newBuilder().setPath("/").build()).getEntriesList())
        .isEmpty();
    assertError(
        () -> beta.stat(StatRequest.newBuilder().setPath("/secret/data").build()),
        Status.Code.NOT_FOUND,
        MetaErrorCode.NOT_FOUND);
    long betaTenant = beta.whoAmI(WhoAmIRequest.getDefaultInstance()).getTenant().getId();
    // ids carry their tenant in the high bits (InodeIds): guess around alpha's ids, the same
    // sequence numbers under beta's tag, and small ids as inodes from before the tag had
    long sequence = alphaFile & io.catena.protocol.chunk.InodeIds.MAX_SEQUENCE;
    long betaTag = io.catena.protocol.chunk.InodeIds.of(betaTenant, 1) - 1;
    long[] guesses =
        java.util.stream.LongStream.concat(
                java.util.stream.LongStream.rangeClosed(Math.max(1, alphaFile - 40), alphaFile + 5),
                java.util.stream.LongStream.concat(
                    java.util.stream.LongStream.rangeClosed(1, 40),
                    java.util.stream.LongStream.rangeClosed(
                        betaTag + Math.max(1, sequence - 40), betaTag + sequence + 5)))
            .toArray();
    for (long id : guesses) {
      try {
        var seen = beta.stat(StatRequest.newBuilder().setInodeId(id).build()).getInode();
        assertThat(seen.getTenantId()).isEqualTo(betaTenant);
        assertThat(id).isNotIn(alphaFile, alphaDir);
      } catch (StatusRuntimeException e) {
        assertThat(GrpcErrors.detail(e).getCode()).isEqualTo(MetaErrorCode.NOT_FOUND);
      }
    }
    assertError(
        () ->
            beta.close(
                CloseRequest.newBuilder()
                    .setInodeId(alphaFile)
                    .setSessionId(file.getSessionId())
                    .setSetLength(true)
                    .setLength(1)
                    .build()),
        Status.Code.NOT_FOUND,
        MetaErrorCode.NOT_FOUND);
    assertError(
        () -> beta.unlink(PathRequest.newBuilder().setPath("/secret/data").build()),
        Status.Code.NOT_FOUND,
        MetaErrorCode.NOT_FOUND);
    assertError(
        () -> beta.rename(RenameRequest.newBuilder().setFrom("/secret").setTo("/mine").build()),
        Status.Code.NOT_FOUND,
        MetaErrorCode.NOT_FOUND);
    beta.mkdir(MkdirRequest.newBuilder().setPath("/secret").build());
    beta.create(CreateRequest.newBuilder().setPath("/secret/data").setExclusive(true).build());

    alpha.close(
        CloseRequest.newBuilder()
            .setInodeId(alphaFile)
            .setSessionId(file.getSessionId())
            .setSetLength(true)
            .setLength(77)
            .build());
    assertThat(
            alpha
                .stat(StatRequest.newBuilder().setPath("/secret/data").build())
                .getInode()
                .getLength())
        .isEqualTo(77);
    assertThat(
            beta.stat(StatRequest.newBuilder().setPath("/secret/data").build())
                .getInode()
                .getLength())
        .isZero();
    assertThat(
            fx.store()
                .whoAmI(new Principal(file.getInode().getTenantId(), 0, 0, 0, false))
                .usage()
                .inodes())
        .isEqualTo(2);
  }

  @Test
  void aTenantCannotUseAnotherTenantsChainTable() {
    var acme = meta(newTenant("acme").getToken());
    assertError(
        () ->
            acme.create(
                CreateRequest.newBuilder()
                    .setPath("/f")
                    .setLayout(io.catena.protocol.meta.LayoutHint.newBuilder().setChainTableId(2))
                    .build()),
        Status.Code.PERMISSION_DENIED,
        MetaErrorCode.PERMISSION_DENIED);
  }

  @Test
  void closeWithoutLengthKeepsIt() {
    var acme = meta(newTenant("acme").getToken());
    var o = acme.create(CreateRequest.newBuilder().setPath("/f").build());
    acme.close(
        CloseRequest.newBuilder()
            .setInodeId(o.getInode().getId())
            .setSessionId(o.getSessionId())
            .build());
    assertThat(
            fx.store()
                .stat(new Principal(o.getInode().getTenantId(), 0, 0, 0, false), "/f")
                .length())
        .isZero();
    assertThat(Optional.of(o.getSessionId())).isPresent();
  }
}
