package io.catena.controlplane.api;

import io.catena.controlplane.driver.ClusterDriver;
import io.catena.controlplane.driver.DaemonObservation;
import io.catena.controlplane.driver.JoinedNode;
import io.catena.controlplane.reconcile.ClusterLayout;
import io.catena.controlplane.reconcile.Reconciler;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.status.ClusterStatus;
import io.catena.controlplane.tenant.TenantAdmin;
import io.catena.controlplane.tenant.TenantAdmin.IssuedToken;
import io.catena.controlplane.tenant.TenantAdmin.TenantRecord;
import io.catena.controlplane.tenant.TenantTokens;
import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.CreateTenantRequest;
import io.catena.protocol.controlplane.DaemonActionRequest;
import io.catena.protocol.controlplane.DaemonInfo;
import io.catena.protocol.controlplane.DiskInfo;
import io.catena.protocol.controlplane.GetStatusRequest;
import io.catena.protocol.controlplane.ListChainsReply;
import io.catena.protocol.controlplane.ListNodesReply;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.ListTargetsReply;
import io.catena.protocol.controlplane.ListTenantsReply;
import io.catena.protocol.controlplane.NodeInfo;
import io.catena.protocol.controlplane.SetTenantQuotaRequest;
import io.catena.protocol.controlplane.TargetInfo;
import io.catena.protocol.controlplane.TenantInfo;
import io.catena.protocol.controlplane.TenantRef;
import io.catena.protocol.controlplane.TenantTokenReply;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code ControlPlane} gRPC service: translates wire ↔ the reconciler's status, the driver,
 * mgmtd and meta's tenants; no logic of its own beyond naming things for people.
 */
public final class ControlPlaneService extends ControlPlaneGrpc.ControlPlaneImplBase {

  private final Reconciler reconciler;
  private final ClusterDriver driver;
  private final Supplier<TenantAdmin> tenants;
  private final TenantTokens tokens;
  private final Runnable onChange;

  public ControlPlaneService(
      Reconciler reconciler,
      ClusterDriver driver,
      Supplier<TenantAdmin> tenants,
      TenantTokens tokens,
      Runnable onChange) {
    this.reconciler = reconciler;
    this.driver = driver;
    this.tenants = tenants;
    this.tokens = tokens;
    this.onChange = onChange;
  }

  private ClusterLayout layout() {
    return reconciler.context().layout();
  }

  @Override
  public void getStatus(GetStatusRequest request, StreamObserver<ClusterStatusReply> out) {
    ApiErrors.answer(
        out,
        () -> {
          ClusterStatus status = reconciler.lastStatus();
          if (status == null) {
            status = reconciler.pass().status();
          }
          return StatusMapping.toWire(
              status,
              layout(),
              driver instanceof io.catena.controlplane.driver.AgentDriver agents
                  && agents.transport().isTls());
        });
  }

  @Override
  public void listNodes(ListRequest request, StreamObserver<ListNodesReply> out) {
    ApiErrors.answer(
        out,
        () -> {
          Map<String, JoinedNode> joined = new HashMap<>();
          driver.nodes().forEach(n -> joined.put(n.name(), n));
          ListNodesReply.Builder reply = ListNodesReply.newBuilder();
          for (NodeSpec node : layout().nodes()) {
            JoinedNode j = joined.get(node.name());
            NodeInfo.Builder b =
                NodeInfo.newBuilder()
                    .setName(node.name())
                    .setNodeId(layout().nodeId(node))
                    .setJoined(j != null)
                    .putAllLabels(layout().labelsWithDomain(node))
                    .setState(j == null ? "OFFLINE" : "ACTIVE");
            if (j != null) {
              b.setAgentEndpoint(j.agentEndpoint());
              for (JoinedNode.DiskFact d : j.disks()) {
                b.addDisks(
                    DiskInfo.newBuilder()
                        .setPath(d.path())
                        .setCapacityBytes(d.totalBytes())
                        .setFreeBytes(d.freeBytes()));
              }
              try {
                for (DaemonObservation d : driver.observeAll(node.name())) {
                  b.addDaemons(daemonInfo(node, d));
                }
              } catch (RuntimeException e) {
                b.setState("OFFLINE");
              }
            }
            reply.addNodes(b);
          }
          return reply.build();
        });
  }

  @Override
  public void listTargets(ListRequest request, StreamObserver<ListTargetsReply> out) {
    ApiErrors.answer(
        out,
        () -> {
          Map<Integer, String> names = nodeNames();
          ListTargetsReply.Builder reply = ListTargetsReply.newBuilder();
          for (var t : reconciler.context().mgmtd().targets()) {
            reply.addTargets(StatusMapping.target(t, names, layout()));
          }
          return reply.build();
        });
  }

  @Override
  public void listChains(ListRequest request, StreamObserver<ListChainsReply> out) {
    ApiErrors.answer(
        out,
        () -> {
          var mgmtd = reconciler.context().mgmtd();
          Map<Integer, String> names = nodeNames();
          Map<Long, io.catena.protocol.mgmtd.TargetInfo> targets = new HashMap<>();
          mgmtd.targets().forEach(t -> targets.put(t.getTargetId(), t));
          Map<Integer, Integer> tableOf = new HashMap<>();
          for (ChainTableInfo table : mgmtd.chainTables()) {
            table.getChainIdsList().forEach(c -> tableOf.putIfAbsent(c, table.getTableId()));
          }
          ListChainsReply.Builder reply = ListChainsReply.newBuilder();
          for (var chain : mgmtd.chains()) {
            ChainInfo.Builder b =
                ChainInfo.newBuilder()
                    .setChainId(chain.getChainId())
                    .setVersion(chain.getVersion())
                    .setChainTableId(tableOf.getOrDefault(chain.getChainId(), 0));
            boolean syncing = false;
            for (ChainMember m : chain.getMembersList()) {
              var t = targets.get(m.getTargetId());
              TargetInfo.Builder info =
                  t == null
                      ? TargetInfo.newBuilder().setTargetId(m.getTargetId())
                      : StatusMapping.target(t, names, layout()).toBuilder();
              info.setPublicState(m.getPublicState().name()).setChainId(chain.getChainId());
              syncing |= m.getPublicState() == PublicState.SYNCING;
              b.addTargets(info);
            }
            b.setSyncProgress(syncing ? 0 : 1);
            reply.addChains(b);
          }
          return reply.build();
        });
  }

  @Override
  public void daemonAction(DaemonActionRequest request, StreamObserver<DaemonInfo> out) {
    ApiErrors.answer(
        out,
        () -> {
          NodeSpec node = layout().node(request.getNode());
          if (request.getDaemon().isBlank()) {
            throw new IllegalArgumentException("daemon is required (mgmtd, meta, storage)");
          }
          ClusterDriver.DaemonAction action =
              switch (request.getAction()) {
                case START -> ClusterDriver.DaemonAction.START;
                case STOP -> ClusterDriver.DaemonAction.STOP;
                case RESTART -> ClusterDriver.DaemonAction.RESTART;
                default ->
                    throw new IllegalArgumentException("action must be START, STOP or RESTART");
              };
          DaemonObservation seen = driver.act(node.name(), request.getDaemon(), action);
          return daemonInfo(node, seen);
        });
  }

  @Override
  public void listTenants(ListRequest request, StreamObserver<ListTenantsReply> out) {
    ApiErrors.answer(
        out,
        () -> {
          ListTenantsReply.Builder reply = ListTenantsReply.newBuilder();
          tenants.get().list().forEach(t -> reply.addTenants(tenantInfo(t)));
          return reply.build();
        });
  }

  @Override
  public void createTenant(CreateTenantRequest request, StreamObserver<TenantTokenReply> out) {
    ApiErrors.answer(
        out,
        () -> {
          requireQuota(request.getQuotaBytes(), request.getQuotaFiles());
          TenantRecord t =
              tenants
                  .get()
                  .create(
                      request.getName(),
                      request.getQuotaBytes(),
                      request.getQuotaFiles(),
                      List.of(ClusterLayout.CHAIN_TABLE));
          IssuedToken token = tenants.get().issueToken(t.id());
          tokens.remember(t.name(), TenantTokens.IssueKind.SHOW_ONCE, token);
          onChange.run();
          return TenantTokenReply.newBuilder()
              .setTenant(tenantInfo(t))
              .setToken(token.token())
              .build();
        });
  }

  @Override
  public void deleteTenant(TenantRef request, StreamObserver<TenantInfo> out) {
    ApiErrors.answer(
        out,
        () -> {
          TenantRecord t = find(request.getName());
          if (layout().spec().tenants().stream().anyMatch(s -> s.name().equals(t.name()))) {
            throw new IllegalArgumentException(
                "tenant "
                    + t.name()
                    + " is in the cluster spec, so the reconciler would create it again; remove it"
                    + " from the spec first");
          }
          TenantAdmin.DeletedTenant deleted = tenants.get().delete(t.id(), request.getPurge());
          tokens.forget(t.name());
          onChange.run();
          return tenantInfo(deleted.tenant());
        });
  }

  @Override
  public void setTenantQuota(SetTenantQuotaRequest request, StreamObserver<TenantInfo> out) {
    ApiErrors.answer(
        out,
        () -> {
          requireQuota(request.getQuotaBytes(), request.getQuotaFiles());
          TenantRecord t = find(request.getName());
          return tenantInfo(
              tenants.get().setQuota(t.id(), request.getQuotaBytes(), request.getQuotaFiles()));
        });
  }

  @Override
  public void rotateTenantToken(TenantRef request, StreamObserver<TenantTokenReply> out) {
    ApiErrors.answer(
        out,
        () -> {
          TenantRecord t = find(request.getName());
          IssuedToken token =
              tokens
                  .tokenId(t.name())
                  .map(id -> tenants.get().rotateToken(id))
                  .orElseGet(() -> tenants.get().issueToken(t.id()));
          tokens.remember(t.name(), TenantTokens.IssueKind.SHOW_ONCE, token);
          return TenantTokenReply.newBuilder()
              .setTenant(tenantInfo(t))
              .setToken(token.token())
              .build();
        });
  }

  private TenantRecord find(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a tenant name is required");
    }
    return tenants.get().list().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new io.catena.controlplane.tenant.TenantException(
                    io.catena.controlplane.tenant.TenantException.Reason.NOT_FOUND,
                    "no tenant '" + name + "'",
                    null));
  }

  private static void requireQuota(long bytes, long files) {
    if (bytes < 0 || files < 0) {
      throw new IllegalArgumentException("quotas must be >= 0 (0: unlimited)");
    }
  }

  private Map<Integer, String> nodeNames() {
    Map<Integer, String> names = new HashMap<>();
    layout().nodes().forEach(n -> names.put(layout().nodeId(n), n.name()));
    return names;
  }

  private DaemonInfo daemonInfo(NodeSpec node, DaemonObservation d) {
    String endpoint;
    try {
      endpoint = layout().endpoint(node, d.kind());
    } catch (RuntimeException e) {
      endpoint = "";
    }
    return DaemonInfo.newBuilder()
        .setNode(node.name())
        .setName(d.name())
        .setKind(d.kind().id())
        .setState(d.state().name())
        .setPid(d.pid())
        .setEndpoint(endpoint)
        .setRestarts(d.restarts())
        .setLastError(d.healthy() ? "" : d.detail())
        .setUptimeMs(d.uptimeMillis())
        .build();
  }

  static TenantInfo tenantInfo(TenantRecord t) {
    return TenantInfo.newBuilder()
        .setName(t.name())
        .setQuotaBytes(t.quotaBytes())
        .setQuotaFiles(t.quotaFiles())
        .setUsedBytes(t.usedBytes())
        .setFiles(t.files())
        .addAllChainTables(t.chainTables())
        .build();
  }
}
