package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.meta.CreateRequest;
import io.catena.protocol.meta.CreateTenantRequest;
import io.catena.protocol.meta.IssueTokenRequest;
import io.catena.protocol.meta.MetaServiceGrpc;
import io.catena.protocol.meta.MkdirRequest;
import io.catena.protocol.meta.ReadDirRequest;
import io.catena.protocol.meta.TenantServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon over real sockets on 127.0.0.1 with RocksDB; state survives a restart. */
class MetaDaemonTest {

  @TempDir Path dir;

  private static io.grpc.ClientInterceptor auth(String token) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, AuthInterceptor.bearer(token));
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private MetaDaemonConfig config() {
    return new MetaDaemonConfig(
        "127.0.0.1",
        0,
        "rocksdb:" + dir.resolve("kv"),
        dir.resolve("secrets/admin.token"),
        List.of(new ChainTable(1, 1, List.of(1, 2, 3, 4))),
        Duration.ofHours(1));
  }

  @Test
  void servesOverNettyBootstrapsOnceAndKeepsStateAcrossRestarts() throws Exception {
    String tenantToken;
    try (MetaDaemon daemon = MetaDaemon.start(config(), removal -> {})) {
      Path tokenFile = config().adminTokenFile();
      assertThat(Files.getPosixFilePermissions(tokenFile))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String admin = Files.readString(tokenFile).trim();
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", daemon.port()).usePlaintext().build();
      try {
        var tenants = TenantServiceGrpc.newBlockingStub(channel).withInterceptors(auth(admin));
        long id =
            tenants
                .createTenant(
                    CreateTenantRequest.newBuilder().setName("acme").addChainTableIds(1).build())
                .getTenant()
                .getId();
        tenantToken =
            tenants.issueToken(IssueTokenRequest.newBuilder().setTenantId(id).build()).getToken();
        var meta = MetaServiceGrpc.newBlockingStub(channel).withInterceptors(auth(tenantToken));
        meta.mkdir(MkdirRequest.newBuilder().setPath("/kv/cache").setParents(true).build());
        meta.create(CreateRequest.newBuilder().setPath("/kv/cache/block-0").build());
      } finally {
        channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
      }
    }
    String adminBefore = Files.readString(config().adminTokenFile());
    try (MetaDaemon daemon = MetaDaemon.start(config(), removal -> {})) {
      assertThat(Files.readString(config().adminTokenFile())).isEqualTo(adminBefore);
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", daemon.port()).usePlaintext().build();
      try {
        var meta = MetaServiceGrpc.newBlockingStub(channel).withInterceptors(auth(tenantToken));
        assertThat(
                meta.readDir(ReadDirRequest.newBuilder().setPath("/kv/cache").build())
                    .getEntriesList())
            .extracting(e -> e.getName())
            .containsExactly("block-0");
      } finally {
        channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
      }
    }
  }
}
