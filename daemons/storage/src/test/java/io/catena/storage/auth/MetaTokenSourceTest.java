package io.catena.storage.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.meta.MetaDaemon;
import io.catena.meta.MetaDaemonConfig;
import io.catena.protocol.meta.CreateTenantRequest;
import io.catena.protocol.meta.IssueTokenRequest;
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
    var authorizer =
        new TenantChainAuthorizer(
            CachedTokenGrants.withDefaults(new MetaTokenSource(channel, Duration.ofSeconds(10))),
            index);
    ChunkId chunk = ChunkId.of(5, 0);

    assertThat(authorizer.allows(acme, 1, chunk, Access.WRITE)).isTrue();
    assertThat(authorizer.allows(acme, 3, chunk, Access.READ)).isFalse();
    assertThat(authorizer.allows(globex, 3, chunk, Access.WRITE)).isTrue();
    assertThat(authorizer.allows(globex, 2, chunk, Access.READ)).isFalse();
    assertThat(authorizer.allows(adminToken, 3, chunk, Access.WRITE)).isTrue();
    assertThat(authorizer.allows("not-a-token", 1, chunk, Access.READ)).isFalse();
  }

  @Test
  void anUnreachableMetaIsReportedAsUnavailableNotAsARefusal() throws Exception {
    MetaTokenSource source = new MetaTokenSource(channel, Duration.ofSeconds(10));
    meta.close();
    meta = null;
    assertThatThrownBy(() -> source.verify("whatever"))
        .isInstanceOf(GrantSourceUnavailableException.class);
  }
}
