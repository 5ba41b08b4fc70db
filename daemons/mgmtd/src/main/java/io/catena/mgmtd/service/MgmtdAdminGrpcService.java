package io.catena.mgmtd.service;

import io.catena.mgmtd.cluster.ClusterManager;
import io.catena.protocol.convert.MgmtdCodec;
import io.catena.protocol.mgmtd.AddNodeRequest;
import io.catena.protocol.mgmtd.AdminResponse;
import io.catena.protocol.mgmtd.ClusterConfig;
import io.catena.protocol.mgmtd.CreateTargetsRequest;
import io.catena.protocol.mgmtd.GetConfigRequest;
import io.catena.protocol.mgmtd.ListChainTablesResponse;
import io.catena.protocol.mgmtd.ListChainsResponse;
import io.catena.protocol.mgmtd.ListDaemonsResponse;
import io.catena.protocol.mgmtd.ListNodesResponse;
import io.catena.protocol.mgmtd.ListRequest;
import io.catena.protocol.mgmtd.ListTargetsResponse;
import io.catena.protocol.mgmtd.MgmtdAdminServiceGrpc;
import io.catena.protocol.mgmtd.RemoveNodeRequest;
import io.catena.protocol.mgmtd.RemoveTargetRequest;
import io.catena.protocol.mgmtd.SetChainTableRequest;
import io.catena.protocol.mgmtd.SetConfigRequest;
import io.catena.protocol.mgmtd.SetTargetAdminStateRequest;
import io.catena.protocol.mgmtd.UpdateChainRequest;
import io.catena.topology.ClusterTopology;
import io.grpc.stub.StreamObserver;
import java.util.function.LongSupplier;

/** Translates MgmtdAdminService calls to the {@link ClusterManager}; nothing else. */
public final class MgmtdAdminGrpcService extends MgmtdAdminServiceGrpc.MgmtdAdminServiceImplBase {

  private final ClusterManager cluster;

  public MgmtdAdminGrpcService(ClusterManager cluster) {
    this.cluster = cluster;
  }

  @Override
  public void addNode(AddNodeRequest request, StreamObserver<AdminResponse> out) {
    admin(out, () -> cluster.addNode(request.getNode()));
  }

  @Override
  public void removeNode(RemoveNodeRequest request, StreamObserver<AdminResponse> out) {
    admin(out, () -> cluster.removeNode(request.getNodeId()));
  }

  @Override
  public void createTargets(CreateTargetsRequest request, StreamObserver<AdminResponse> out) {
    admin(out, () -> cluster.createTargets(request.getTargetsList()));
  }

  @Override
  public void removeTarget(RemoveTargetRequest request, StreamObserver<AdminResponse> out) {
    admin(out, () -> cluster.removeTarget(request.getTargetId()));
  }

  @Override
  public void setChainTable(SetChainTableRequest request, StreamObserver<AdminResponse> out) {
    admin(out, () -> cluster.setChainTable(request.getTableId(), request.getChainsList()));
  }

  @Override
  public void setTargetAdminState(
      SetTargetAdminStateRequest request, StreamObserver<AdminResponse> out) {
    admin(out, () -> cluster.setTargetAdminState(request.getTargetId(), request.getOnline()));
  }

  @Override
  public void updateChain(UpdateChainRequest request, StreamObserver<AdminResponse> out) {
    admin(
        out,
        () ->
            cluster.updateChain(request.getChainId(), request.getTargetId(), request.getAction()));
  }

  @Override
  public void setConfig(SetConfigRequest request, StreamObserver<AdminResponse> out) {
    admin(out, () -> cluster.setConfig(request.getEntriesMap()));
  }

  @Override
  public void getConfig(GetConfigRequest request, StreamObserver<ClusterConfig> out) {
    reply(out, cluster::config, e -> ClusterConfig.newBuilder().setError(e).build());
  }

  @Override
  public void listNodes(ListRequest request, StreamObserver<ListNodesResponse> out) {
    reply(
        out,
        () -> {
          ListNodesResponse.Builder b = ListNodesResponse.newBuilder();
          cluster.topology().nodes().forEach(n -> b.addNodes(MgmtdCodec.toWire(n)));
          return b.build();
        },
        e -> ListNodesResponse.newBuilder().setError(e).build());
  }

  @Override
  public void listTargets(ListRequest request, StreamObserver<ListTargetsResponse> out) {
    reply(
        out,
        () -> {
          ClusterTopology topology = cluster.topology();
          ListTargetsResponse.Builder b = ListTargetsResponse.newBuilder();
          topology.targets().forEach(t -> b.addTargets(MgmtdCodec.toWire(t, topology)));
          return b.build();
        },
        e -> ListTargetsResponse.newBuilder().setError(e).build());
  }

  @Override
  public void listChains(ListRequest request, StreamObserver<ListChainsResponse> out) {
    reply(
        out,
        () -> {
          ClusterTopology topology = cluster.topology();
          ListChainsResponse.Builder b = ListChainsResponse.newBuilder();
          topology.chains().forEach(c -> b.addChains(MgmtdCodec.toWire(c, topology)));
          return b.build();
        },
        e -> ListChainsResponse.newBuilder().setError(e).build());
  }

  @Override
  public void listChainTables(ListRequest request, StreamObserver<ListChainTablesResponse> out) {
    reply(
        out,
        () -> {
          ListChainTablesResponse.Builder b = ListChainTablesResponse.newBuilder();
          cluster.chainTableVersions().forEach(t -> b.addChainTables(MgmtdCodec.toWire(t)));
          return b.build();
        },
        e -> ListChainTablesResponse.newBuilder().setError(e).build());
  }

  @Override
  public void listDaemons(ListRequest request, StreamObserver<ListDaemonsResponse> out) {
    reply(
        out,
        () -> {
          ListDaemonsResponse.Builder b = ListDaemonsResponse.newBuilder();
          cluster.daemons().forEach(d -> b.addDaemons(d.toWire()));
          return b.build();
        },
        e -> ListDaemonsResponse.newBuilder().setError(e).build());
  }

  private static void admin(StreamObserver<AdminResponse> out, LongSupplier change) {
    reply(
        out,
        () -> AdminResponse.newBuilder().setRoutingVersion(change.getAsLong()).build(),
        e -> AdminResponse.newBuilder().setError(e).build());
  }

  private static <T> void reply(
      StreamObserver<T> out,
      java.util.function.Supplier<T> call,
      java.util.function.Function<io.catena.protocol.common.ErrorDetail, T> onError) {
    out.onNext(Errors.answer(call, onError));
    out.onCompleted();
  }
}
