package io.catena.controlplane.ops.cluster;

import io.catena.controlplane.mgmtd.MgmtdException;
import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.mgmtd.AddNodeRequest;
import io.catena.protocol.mgmtd.AdminResponse;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.CreateTargetsRequest;
import io.catena.protocol.mgmtd.MgmtdAdminServiceGrpc;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.RemoveNodeRequest;
import io.catena.protocol.mgmtd.RemoveTargetRequest;
import io.catena.protocol.mgmtd.SetChainTableRequest;
import io.catena.protocol.mgmtd.SetTargetAdminStateRequest;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.mgmtd.UpdateChainRequest;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.protocol.routing.MgmtdUnavailableException;
import java.util.List;
import java.util.function.Function;

/** {@link ClusterAdmin} over gRPC, through a {@link MgmtdClient} that follows the primary. */
public final class GrpcClusterAdmin implements ClusterAdmin {

  private final MgmtdClient client;

  public GrpcClusterAdmin(MgmtdClient client) {
    this.client = client;
  }

  @Override
  public ClusterSnapshot snapshot() {
    try {
      return ClusterSnapshot.of(
          client
              .routingInfo(0)
              .orElseThrow(() -> new MgmtdException("mgmtd returned no routing info")));
    } catch (MgmtdUnavailableException e) {
      throw new MgmtdException("mgmtd is unreachable: " + e.getMessage());
    }
  }

  @Override
  public void addNode(NodeInfo node) {
    call(s -> s.addNode(AddNodeRequest.newBuilder().setNode(node).build()));
  }

  @Override
  public void removeNode(int nodeId) {
    call(s -> s.removeNode(RemoveNodeRequest.newBuilder().setNodeId(nodeId).build()));
  }

  @Override
  public void createTargets(List<TargetInfo> targets) {
    call(s -> s.createTargets(CreateTargetsRequest.newBuilder().addAllTargets(targets).build()));
  }

  @Override
  public void removeTarget(long targetId) {
    call(s -> s.removeTarget(RemoveTargetRequest.newBuilder().setTargetId(targetId).build()));
  }

  @Override
  public void addToChain(int chainId, long targetId) {
    updateChain(chainId, targetId, UpdateChainRequest.Action.ADD);
  }

  @Override
  public void removeFromChain(int chainId, long targetId) {
    updateChain(chainId, targetId, UpdateChainRequest.Action.REMOVE);
  }

  private void updateChain(int chainId, long targetId, UpdateChainRequest.Action action) {
    call(
        s ->
            s.updateChain(
                UpdateChainRequest.newBuilder()
                    .setChainId(chainId)
                    .setTargetId(targetId)
                    .setAction(action)
                    .build()));
  }

  @Override
  public void setTargetOnline(long targetId, boolean online) {
    call(
        s ->
            s.setTargetAdminState(
                SetTargetAdminStateRequest.newBuilder()
                    .setTargetId(targetId)
                    .setOnline(online)
                    .build()));
  }

  @Override
  public void setChainTable(int tableId, List<ChainSpec> chains) {
    call(
        s ->
            s.setChainTable(
                SetChainTableRequest.newBuilder()
                    .setTableId(tableId)
                    .addAllChains(chains)
                    .build()));
  }

  private void call(
      Function<MgmtdAdminServiceGrpc.MgmtdAdminServiceBlockingStub, AdminResponse> rpc) {
    AdminResponse response;
    try {
      response = client.admin(rpc, AdminResponse::getError);
    } catch (MgmtdUnavailableException e) {
      throw new MgmtdException("mgmtd is unreachable: " + e.getMessage());
    }
    if (response.hasError()) {
      ErrorDetail error = response.getError();
      throw new MgmtdException("mgmtd: " + error.getCode() + ": " + error.getMessage());
    }
  }
}
