package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.catena.protocol.kv.CommitItem;
import io.catena.protocol.kv.CommitRequest;
import io.catena.protocol.kv.ExistsRequest;
import io.catena.protocol.kv.KvIndexGrpc;
import io.catena.protocol.kv.KvStatus;
import io.catena.protocol.kv.LookupReply;
import io.catena.protocol.kv.LookupRequest;
import io.catena.protocol.kv.OpenSessionRequest;
import io.catena.protocol.kv.ReserveItem;
import io.catena.protocol.kv.ReserveReply;
import io.catena.protocol.kv.ReserveRequest;
import io.catena.protocol.kv.StatsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The KvIndex service in-process: its wire form, per-key statuses and authentication. */
class KvIndexGrpcTest {

  private MetaFixture fx;
  private Server server;
  private ManagedChannel channel;
  private String token;

  @BeforeEach
  void start() throws Exception {
    fx = new MetaFixture();
    fx.node.tenants().bootstrap();
    Tenant t = fx.node.tenants().createTenant("kv", Quota.UNLIMITED, java.util.List.of(1), 2);
    token = fx.node.tenants().issueToken(t.id(), 0, 0).token();
    String name = "kv-" + UUID.randomUUID();
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

  private KvIndexGrpc.KvIndexBlockingStub kv(String bearer) {
    Metadata headers = new Metadata();
    if (bearer != null) {
      headers.put(AuthInterceptor.AUTHORIZATION, AuthInterceptor.bearer(bearer));
    }
    return KvIndexGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  @Test
  void reserveCommitLookupOverTheWire() {
    long session = kv(token).openSession(OpenSessionRequest.getDefaultInstance()).getSessionId();
    ReserveReply reserved =
        kv(token)
            .reserve(
                ReserveRequest.newBuilder()
                    .setSessionId(session)
                    .addItems(
                        ReserveItem.newBuilder()
                            .setKey(ByteString.copyFromUtf8("page-0"))
                            .setLength(1 << 20))
                    .addItems(
                        ReserveItem.newBuilder()
                            .setKey(ByteString.copyFromUtf8("page-1"))
                            .setPrevKey(ByteString.copyFromUtf8("page-0"))
                            .setLength(1 << 20))
                    .build());
    assertThat(reserved.getResultsList())
        .extracting(r -> r.getStatus())
        .containsExactly(KvStatus.OK, KvStatus.OK);
    assertThat(reserved.getSlabsList()).hasSize(1);
    assertThat(reserved.getSlabs(0).getSlotSize()).isEqualTo(1 << 20);
    assertThat(reserved.getSlabs(0).getLayout().getChainIdsCount()).isEqualTo(2);
    assertThat(reserved.getResults(1).getLocation().getOffset())
        .isNotEqualTo(reserved.getResults(0).getLocation().getOffset());

    kv(token)
        .commit(
            CommitRequest.newBuilder()
                .setSessionId(session)
                .addItems(
                    CommitItem.newBuilder().setKey(ByteString.copyFromUtf8("page-0")).setCrc32C(5))
                .build());
    assertThat(
            kv(token)
                .exists(
                    ExistsRequest.newBuilder()
                        .addKeys(ByteString.copyFromUtf8("page-0"))
                        .addKeys(ByteString.copyFromUtf8("page-1"))
                        .build())
                .getPrefixLength())
        .isEqualTo(1);
    LookupReply found =
        kv(token)
            .lookup(
                LookupRequest.newBuilder()
                    .addKeys(ByteString.copyFromUtf8("page-0"))
                    .addKeys(ByteString.copyFromUtf8("page-1"))
                    .build());
    assertThat(found.getResultsList())
        .extracting(r -> r.getStatus())
        .containsExactly(KvStatus.OK, KvStatus.NOT_FOUND);
    assertThat(found.getResults(0).getLocation().getCrc32C()).isEqualTo(5);
    assertThat(found.getLeaseExpiresAtMs()).isGreaterThan(System.currentTimeMillis());
    assertThat(kv(token).stats(StatsRequest.getDefaultInstance()).getEntries()).isEqualTo(1);
  }

  @Test
  void callsWithoutAValidTokenAreRefused() {
    assertThatThrownBy(() -> kv(null).stats(StatsRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThatThrownBy(() -> kv("ctn1.1.bogus").stats(StatsRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aStaleSessionIsAFailedPrecondition() {
    assertThatThrownBy(
            () ->
                kv(token)
                    .reserve(
                        ReserveRequest.newBuilder()
                            .setSessionId(12345)
                            .addItems(
                                ReserveItem.newBuilder()
                                    .setKey(ByteString.copyFromUtf8("k"))
                                    .setLength(1))
                            .build()))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              StatusRuntimeException s = (StatusRuntimeException) e;
              assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(GrpcErrors.detail(s).getCode())
                  .isEqualTo(io.catena.protocol.meta.MetaErrorCode.NO_SESSION);
            });
  }
}
