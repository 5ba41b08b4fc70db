package io.catena.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.controlplane.reconcile.Fixture;
import io.catena.controlplane.reconcile.Reconciler;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.CreateTenantRequest;
import io.catena.protocol.controlplane.DaemonActionRequest;
import io.catena.protocol.controlplane.DaemonInfo;
import io.catena.protocol.controlplane.GetStatusRequest;
import io.catena.protocol.controlplane.ListChainsReply;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.NodeInfo;
import io.catena.protocol.controlplane.SetTenantQuotaRequest;
import io.catena.protocol.controlplane.TenantRef;
import io.catena.protocol.controlplane.TenantTokenReply;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ControlPlane service over a real gRPC server, on a converged fake cluster. */
class ControlPlaneServiceTest {

  @TempDir Path root;
  private Fixture f;
  private Server server;
  private ManagedChannel channel;
  private final AtomicInteger changes = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    f = new Fixture(root, 3);
    f.joinAll();
    Reconciler reconciler =
        new Reconciler(f.context, Reconciler.standardSteps(), Clock.systemUTC());
    f.converge(reconciler, 20);
    server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .addService(
                ServerInterceptors.intercept(
                    new ControlPlaneService(
                        reconciler, f.driver, () -> f.tenants, f.tokens, changes::incrementAndGet),
                    new AdminTokenInterceptor("s3cret")))
            .build()
            .start();
    channel =
        Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private ControlPlaneGrpc.ControlPlaneBlockingStub reader() {
    return ControlPlaneGrpc.newBlockingStub(channel);
  }

  private ControlPlaneGrpc.ControlPlaneBlockingStub admin() {
    Metadata h = new Metadata();
    h.put(AdminTokenInterceptor.AUTHORIZATION, "Bearer s3cret");
    return reader().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
  }

  @Test
  void statusCarriesConditionsEndpointsCountsAndSteps() {
    ClusterStatusReply s = reader().getStatus(GetStatusRequest.getDefaultInstance());
    assertThat(s.getConditionsList())
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    assertThat(s.getMgmtdEndpointsList()).containsExactly("10.0.0.1:8000");
    assertThat(s.getMetaEndpoint()).isEqualTo("10.0.0.1:7100");
    assertThat(s.getNodes()).isEqualTo(3);
    assertThat(s.getChainsByStateList())
        .anyMatch(c -> c.getState().equals("healthy") && c.getCount() == 2);
    assertThat(s.getStepsCount()).isEqualTo(8);
    assertThat(s.getObservedGeneration()).isEqualTo(3);
  }

  @Test
  void nodesChainsAndTargetsAreNamedForPeople() {
    NodeInfo node = reader().listNodes(ListRequest.getDefaultInstance()).getNodes(1);
    assertThat(node.getName()).isEqualTo("node-2");
    assertThat(node.getJoined()).isTrue();
    assertThat(node.getLabelsMap()).containsEntry("rack", "r2");
    assertThat(node.getDaemonsList()).extracting(DaemonInfo::getKind).containsExactly("storage");
    assertThat(node.getDaemons(0).getEndpoint()).isEqualTo("10.0.0.2:9000");

    ListChainsReply chains = reader().listChains(ListRequest.getDefaultInstance());
    assertThat(chains.getChainsList()).hasSize(2);
    assertThat(chains.getChains(0).getChainTableId()).isEqualTo(1);
    assertThat(chains.getChains(0).getTargetsList())
        .hasSize(3)
        .allMatch(t -> t.getPublicState().equals("SERVING") && t.getNode().startsWith("node-"));

    assertThat(reader().listTargets(ListRequest.getDefaultInstance()).getTargetsList())
        .hasSize(6)
        .allMatch(t -> t.getDisk().endsWith("/d0") && t.getChainId() > 0);
  }

  @Test
  void mutationsNeedTheAdminToken() {
    assertThatThrownBy(
            () -> reader().createTenant(CreateTenantRequest.newBuilder().setName("x").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(Status.trailersFromThrowable(e).get(ApiErrors.ERROR_DETAIL).getCode())
                  .isEqualTo(ErrorCode.PERMISSION_DENIED);
            });
    assertThat(f.tenants.list()).hasSize(1);
  }

  @Test
  void aNewTenantsTokenIsShownOnceAndRotationReplacesIt() {
    TenantTokenReply created =
        admin()
            .createTenant(
                CreateTenantRequest.newBuilder().setName("team-a").setQuotaBytes(1 << 20).build());
    assertThat(created.getToken()).startsWith("ctn1.");
    assertThat(created.getTenant().getQuotaBytes()).isEqualTo(1 << 20);
    assertThat(f.tokens.secret("team-a")).as("API tokens are never written down").isEmpty();

    TenantTokenReply rotated =
        admin().rotateTenantToken(TenantRef.newBuilder().setName("team-a").build());
    assertThat(rotated.getToken()).isNotEqualTo(created.getToken());
    assertThat(f.tenants.tokenTenant).hasSize(2); // default's token and team-a's new one

    assertThat(
            admin()
                .setTenantQuota(
                    SetTenantQuotaRequest.newBuilder().setName("team-a").setQuotaFiles(10).build())
                .getQuotaFiles())
        .isEqualTo(10);
    assertThat(reader().listTenants(ListRequest.getDefaultInstance()).getTenantsCount())
        .isEqualTo(2);
  }

  @Test
  void aTenantHoldingDataIsDeletedOnlyWithPurgeAndASpecTenantNever() {
    admin().createTenant(CreateTenantRequest.newBuilder().setName("team-b").build());
    long id =
        f.tenants.list().stream()
            .filter(t -> t.name().equals("team-b"))
            .findFirst()
            .orElseThrow()
            .id();
    assertThat(f.tokens.tokenId("team-b")).isPresent();
    f.tenants.holdingData.add("team-b");

    assertThatThrownBy(() -> admin().deleteTenant(TenantRef.newBuilder().setName("team-b").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
              assertThat(e.getStatus().getDescription()).contains("still has files");
            });
    assertThat(f.tenants.list()).anyMatch(t -> t.name().equals("team-b"));

    assertThat(
            admin()
                .deleteTenant(TenantRef.newBuilder().setName("team-b").setPurge(true).build())
                .getName())
        .isEqualTo("team-b");
    assertThat(f.tenants.list()).noneMatch(t -> t.name().equals("team-b"));
    assertThat(f.tenants.tokenTenant).doesNotContainValue(id);
    assertThat(f.tokens.tokenId("team-b")).isEmpty();

    assertThatThrownBy(
            () -> admin().deleteTenant(TenantRef.newBuilder().setName("default").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("in the cluster spec");
            });
    assertThatThrownBy(
            () -> reader().deleteTenant(TenantRef.newBuilder().setName("default").build()))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(f.tenants.list()).anyMatch(t -> t.name().equals("default"));
  }

  @Test
  void unknownTenantsAndNodesAreNotFoundOrBadInput() {
    assertThatThrownBy(
            () -> admin().rotateTenantToken(TenantRef.newBuilder().setName("nope").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(
            () ->
                admin()
                    .daemonAction(
                        DaemonActionRequest.newBuilder()
                            .setNode("node-9")
                            .setDaemon("storage")
                            .setAction(DaemonActionRequest.Action.STOP)
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("node-9");
            });
  }

  @Test
  void daemonActionsGoThroughTheDriver() {
    DaemonInfo stopped =
        admin()
            .daemonAction(
                DaemonActionRequest.newBuilder()
                    .setNode("node-2")
                    .setDaemon("storage")
                    .setAction(DaemonActionRequest.Action.STOP)
                    .build());
    assertThat(stopped.getState()).isEqualTo("NOT_RUNNING");
    assertThat(f.driver.calls).contains("STOP node-2/storage");
  }
}
