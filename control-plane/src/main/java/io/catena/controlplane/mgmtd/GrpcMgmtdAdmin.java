package io.catena.controlplane.mgmtd;

import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.mgmtd.AddNodeRequest;
import io.catena.protocol.mgmtd.AdminResponse;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.CreateTargetsRequest;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.GetPrimaryRequest;
import io.catena.protocol.mgmtd.GetPrimaryResponse;
import io.catena.protocol.mgmtd.ListRequest;
import io.catena.protocol.mgmtd.MgmtdServiceGrpc;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.SetChainTableRequest;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link MgmtdAdmin} over gRPC. Admin calls go through {@link MgmtdClient} (which follows the
 * primary) with short timeouts: a reconcile step that cannot reach mgmtd requeues rather than
 * waiting a whole failover.
 */
public final class GrpcMgmtdAdmin implements MgmtdAdmin, AutoCloseable {

  private final List<String> endpoints;
  private final MgmtdClient client;
  private final TransportSecurity transport;

  public GrpcMgmtdAdmin(List<String> endpoints) {
    this(endpoints, TransportSecurity.plaintext());
  }

  public GrpcMgmtdAdmin(List<String> endpoints, TransportSecurity transport) {
    this.endpoints = List.copyOf(endpoints);
    this.transport = transport;
    this.client =
        new MgmtdClient(
            endpoints,
            io.catena.protocol.routing.AddressResolver.system(),
            Duration.ofSeconds(3),
            Duration.ofSeconds(4),
            transport);
  }

  @Override
  public Optional<String> primary() {
    for (String endpoint : endpoints) {
      ManagedChannel channel =
          Grpc.newChannelBuilder(endpoint, transport.channelCredentials(endpoint)).build();
      try {
        GetPrimaryResponse response =
            MgmtdServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(2, TimeUnit.SECONDS)
                .getPrimary(GetPrimaryRequest.getDefaultInstance());
        if (!response.getPrimaryAddress().isEmpty()) {
          return Optional.of(response.getPrimaryAddress());
        }
      } catch (StatusRuntimeException e) {
        // try the next instance
      } finally {
        channel.shutdownNow();
      }
    }
    return Optional.empty();
  }

  @Override
  public List<NodeInfo> nodes() {
    return admin(s -> s.listNodes(ListRequest.getDefaultInstance()), r -> r.getError())
        .getNodesList();
  }

  @Override
  public List<TargetInfo> targets() {
    return admin(s -> s.listTargets(ListRequest.getDefaultInstance()), r -> r.getError())
        .getTargetsList();
  }

  @Override
  public List<ChainInfo> chains() {
    return admin(s -> s.listChains(ListRequest.getDefaultInstance()), r -> r.getError())
        .getChainsList();
  }

  @Override
  public List<ChainTableInfo> chainTables() {
    return admin(s -> s.listChainTables(ListRequest.getDefaultInstance()), r -> r.getError())
        .getChainTablesList();
  }

  @Override
  public List<DaemonInfo> daemons() {
    return admin(s -> s.listDaemons(ListRequest.getDefaultInstance()), r -> r.getError())
        .getDaemonsList();
  }

  @Override
  public void addNode(NodeInfo node) {
    admin(
        s -> s.addNode(AddNodeRequest.newBuilder().setNode(node).build()), AdminResponse::getError);
  }

  @Override
  public void createTargets(List<TargetInfo> targets) {
    admin(
        s -> s.createTargets(CreateTargetsRequest.newBuilder().addAllTargets(targets).build()),
        AdminResponse::getError);
  }

  @Override
  public void setChainTable(int tableId, List<ChainSpec> chains) {
    admin(
        s ->
            s.setChainTable(
                SetChainTableRequest.newBuilder().setTableId(tableId).addAllChains(chains).build()),
        AdminResponse::getError);
  }

  private <T> T admin(
      Function<io.catena.protocol.mgmtd.MgmtdAdminServiceGrpc.MgmtdAdminServiceBlockingStub, T>
          call,
      Function<T, ErrorDetail> error) {
    T response;
    try {
      response = client.admin(call, error);
    } catch (RuntimeException e) {
      throw new MgmtdException("mgmtd unreachable: " + e.getMessage(), e);
    }
    ErrorDetail detail = error.apply(response);
    if (detail != null
        && detail.getCode() != io.catena.protocol.common.ErrorCode.ERROR_CODE_UNSPECIFIED) {
      throw new MgmtdException("mgmtd refused: " + detail.getCode() + " " + detail.getMessage());
    }
    return response;
  }

  @Override
  public void close() {
    client.close();
  }
}
