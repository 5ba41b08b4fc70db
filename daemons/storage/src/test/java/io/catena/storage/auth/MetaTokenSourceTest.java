package io.catena.storage.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.meta.MetaDaemon;
import io.catena.meta.MetaDaemonConfig;
import io.catena.protocol.chunk.InodeIds;
import io.catena.protocol.meta.CreateRequest;
import io.catena.protocol.meta.CreateTenantRequest;
import io.catena.protocol.meta.IssueTokenRequest;
import io.catena.protocol.meta.MetaServiceGrpc;
import io.catena.protocol.meta.RevokeTokenRequest;
import io.catena.protocol.meta.RotateTokenRequest;
import io.catena.protocol.meta.TenantServiceGrpc;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.storage.RequestAuthorizer.Access;
import io.catena.storage.chunk.ChunkId;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens verified by a real meta daemon over gRPC decide which chains a storage target serves. */
class MetaTokenSourceTest {

  @TempDir Path dir;
  private MetaDaemon meta;
  private ManagedChannel channel;
  private String adminToken;

  @BeforeEach
  void start() throws Exception {
    meta =
        MetaDaemon.start(
            new MetaDaemonConfig(
                "127.0.0.1",
                0,
                "memory:",
                dir.resolve("admin.token"),
                List.of(
                    new io.catena.meta.ChainTable(1, 1, List.of(1, 2)),
                    new io.catena.meta.ChainTable(2, 1, List.of(3, 4))),
                Duration.ofHours(1)),
            MetaDaemon.NO_STORAGE);
    adminToken = Files.readString(dir.resolve("admin.token")).strip();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", meta.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (meta != null) {
      meta.close();
    }
  }

  private String tenantToken(String name, int table) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + adminToken);
    var admin =
        TenantServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    long id =
        admin
            .createTenant(
                CreateTenantRequest.newBuilder()
                    .setName(name)
                    .addChainTableIds(table)
                    .setDefaultStripeSize(2)
                    .build())
            .getTenant()
            .getId();
    return admin.issueToken(IssueTokenRequest.newBuilder().setTenantId(id).build()).getToken();
  }

  @Test
  void eachTenantReachesOnlyTheChainsOfItsTables() {
    String acme = tenantToken("acme", 1);
    String globex = tenantToken("globex", 2);
    ChainTableIndex index = new ChainTableIndex();
    index.apply(
        RoutingInfo.newBuilder()
            .addChainTables(ChainTableInfo.newBuilder().setTableId(1).setVersion(1).addChainIds(1))
            .addChainTables(ChainTableInfo.newBuilder().setTableId(1).setVersion(1).addChainIds(2))
            .addChainTables(ChainTableInfo.newBuilder().setTableId(2).setVersion(1).addChainIds(3))
            .build());
    MetaTokenSource source = new MetaTokenSource(channel, Duration.ofSeconds(10));
    var authorizer = new TenantChainAuthorizer(CachedTokenGrants.withDefaults(source), index);
    ChunkId acmes = ChunkId.of(InodeIds.of(source.verify(acme).orElseThrow().tenantId(), 5), 0);
    ChunkId globexs = ChunkId.of(InodeIds.of(source.verify(globex).orElseThrow().tenantId(), 5), 0);

    assertThat(authorizer.allows(acme, 1, acmes, Access.WRITE)).isTrue();
    assertThat(authorizer.allows(acme, 3, acmes, Access.READ)).isFalse();
    assertThat(authorizer.allows(globex, 3, globexs, Access.WRITE)).isTrue();
    assertThat(authorizer.allows(globex, 2, globexs, Access.READ)).isFalse();
    assertThat(authorizer.allows(adminToken, 3, acmes, Access.WRITE)).isTrue();
    assertThat(authorizer.allows("not-a-token", 1, acmes, Access.READ)).isFalse();
  }

  @Test
  void anUnreachableMetaIsReportedAsUnavailableNotAsARefusal() throws Exception {
    MetaTokenSource source = new MetaTokenSource(channel, Duration.ofSeconds(10));
    meta.close();
    meta = null;
    assertThatThrownBy(() -> source.verify("whatever"))
        .isInstanceOf(GrantSourceUnavailableException.class);
  }

  @Test
  void legacyInodeOwnersAreAskedOfMetaWithTheClientsToken() {
    String acme = tenantToken("acme", 1);
    String globex = tenantToken("globex", 1);
    MetaTokenSource source = new MetaTokenSource(channel, Duration.ofSeconds(10));
    long acmeId = source.verify(acme).orElseThrow().tenantId();
    long globexId = source.verify(globex).orElseThrow().tenantId();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + acme);
    long inode =
        MetaServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .create(CreateRequest.newBuilder().setPath("/f").setExclusive(true).build())
            .getInode()
            .getId();
    LegacyInodeOwners owners = LegacyInodeOwners.fromMeta(channel, Duration.ofSeconds(10));
    assertThat(owners.owns(acme, acmeId, inode)).contains(true);
    assertThat(owners.owns(globex, globexId, inode)).contains(false);
    assertThat(owners.owns("not-a-token", 99, inode)).contains(false);
    meta.close();
    meta = null;
    assertThat(owners.owns(acme, acmeId, inode)).as("kept: ownership never changes").contains(true);
    assertThat(owners.owns(acme, acmeId, inode + 1)).as("meta unreachable").isEmpty();
  }

  @Test
  void aRevocationIsPushedToStorageAndDropsTheCachedGrantAtOnce() throws Exception {
    String acme = tenantToken("acme", 1);
    String globex = tenantToken("globex", 2);
    CachedTokenGrants grants =
        CachedTokenGrants.withDefaults(new MetaTokenSource(channel, Duration.ofSeconds(10)));
    try (RevocationWatcher watcher =
        new RevocationWatcher(channel, grants, RevocationWatcher.LIVE_WINDOW).start()) {
      awaitTrue("the revocation stream to open", () -> watcher.appliedSeq() >= 0);
      assertThat(watcher.live()).isTrue();
      TokenGrant acmeGrant = grants.grant(acme).orElseThrow();
      TokenGrant globexGrant = grants.grant(globex).orElseThrow();
      assertThat(globexGrant.expiresAtMillis()).isZero();

      admin().revokeToken(RevokeTokenRequest.newBuilder().setTokenId(acmeGrant.tokenId()).build());
      admin()
          .rotateToken(
              RotateTokenRequest.newBuilder()
                  .setTokenId(globexGrant.tokenId())
                  .setGraceSeconds(3600)
                  .build());
      awaitTrue("both revocations to arrive", () -> watcher.revocationsApplied() >= 2);

      assertThat(grants.grant(acme)).as("revoked").isEmpty();
      assertThat(grants.grant(globex))
          .as("rotated with grace: valid, now with its expiry")
          .hasValueSatisfying(g -> assertThat(g.expiresAtMillis()).isPositive());
    }
  }

  private TenantServiceGrpc.TenantServiceBlockingStub admin() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + adminToken);
    return TenantServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
