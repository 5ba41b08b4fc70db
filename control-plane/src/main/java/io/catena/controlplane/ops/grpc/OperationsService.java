package io.catena.controlplane.ops.grpc;

import io.catena.controlplane.ops.AuditEntry;
import io.catena.controlplane.ops.LoadWindow;
import io.catena.controlplane.ops.OperationManager;
import io.catena.controlplane.ops.OperationRequest;
import io.catena.controlplane.ops.OperationView;
import io.catena.controlplane.ops.OpsEvent;
import io.catena.controlplane.ops.heal.SelfHealer;
import io.catena.controlplane.ops.load.HotSpotMonitor;
import io.catena.controlplane.ops.load.LoadSampler;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.GetSelfHealingRequest;
import io.catena.protocol.controlplane.HotSpotsReply;
import io.catena.protocol.controlplane.HotSpotsRequest;
import io.catena.protocol.controlplane.ListAuditReply;
import io.catena.protocol.controlplane.ListAuditRequest;
import io.catena.protocol.controlplane.ListOperationsReply;
import io.catena.protocol.controlplane.ListOperationsRequest;
import io.catena.protocol.controlplane.LoadEntry;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.OperationRef;
import io.catena.protocol.controlplane.OperationsGrpc;
import io.catena.protocol.controlplane.PlanOperationRequest;
import io.catena.protocol.controlplane.PlanStepInfo;
import io.catena.protocol.controlplane.Rebalance;
import io.catena.protocol.controlplane.Relief;
import io.catena.protocol.controlplane.ScaleOut;
import io.catena.protocol.controlplane.SelfHealingState;
import io.catena.protocol.controlplane.SetSelfHealingRequest;
import io.catena.protocol.controlplane.ThroughputReply;
import io.catena.protocol.controlplane.ThroughputRequest;
import io.catena.protocol.controlplane.ThroughputSample;
import io.catena.protocol.controlplane.WatchEventsRequest;
import io.catena.topology.hotspot.HotSpotReport;
import io.catena.topology.hotspot.LoadScore;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Locale;
import java.util.function.Supplier;

/** The Operations gRPC service: wire ↔ domain only. */
public final class OperationsService extends OperationsGrpc.OperationsImplBase {

  private final OperationManager operations;
  private final SelfHealer selfHealer;
  private final HotSpotMonitor hotSpots;

  /** {@code selfHealer} and {@code hotSpots} may be null: those calls then fail UNIMPLEMENTED. */
  public OperationsService(
      OperationManager operations, SelfHealer selfHealer, HotSpotMonitor hotSpots) {
    this.operations = operations;
    this.selfHealer = selfHealer;
    this.hotSpots = hotSpots;
  }

  private static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    T reply;
    try {
      reply = call.get();
    } catch (RuntimeException e) {
      out.onError(OpsGrpcErrors.toStatus(e));
      return;
    }
    out.onNext(reply);
    out.onCompleted();
  }

  private static String who(String by) {
    return by == null || by.isBlank() ? "anonymous" : by;
  }

  @Override
  public void planOperation(PlanOperationRequest r, StreamObserver<OperationInfo> out) {
    answer(
        out,
        () -> toWire(operations.plan(request(r), who(r.getRequestedBy()), r.getAutoApprove())));
  }

  /** The domain request a wire request asks for. */
  public static OperationRequest request(PlanOperationRequest r) {
    return switch (r.getOperationCase()) {
      case SCALE_OUT -> {
        ScaleOut s = r.getScaleOut();
        if (s.getNodeNamesCount() > 0) {
          throw new IllegalArgumentException(
              "scale-out by node names is not supported yet: give add_nodes");
        }
        yield new OperationRequest.ScaleOut(s.getAddNodes(), s.getStepSize(), s.getMode());
      }
      case REPAIR -> new OperationRequest.Repair(r.getRepair().getTargetId());
      case DRAIN ->
          new OperationRequest.Drain(
              parseNode(r.getDrain().getNode()), r.getDrain().getDecommission());
      case ROLLING_RESTART ->
          new OperationRequest.RollingRestart(r.getRollingRestart().getNodesList());
      case REBALANCE ->
          new OperationRequest.Rebalance(LoadWindow.parse(r.getRebalance().getWindow()));
      case OPERATION_NOT_SET ->
          throw new IllegalArgumentException(
              "no operation given: scale_out, repair, drain, rolling_restart or rebalance");
    };
  }

  /** A node as mgmtd numbers it: {@code 3} or {@code node-3}. */
  static int parseNode(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("node-")) {
      t = t.substring(5);
    }
    try {
      return Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a node is its number (3 or node-3), got '" + text + "'");
    }
  }

  @Override
  public void approveOperation(OperationRef r, StreamObserver<OperationInfo> out) {
    answer(out, () -> toWire(operations.approve(r.getId(), who(r.getBy()))));
  }

  @Override
  public void cancelOperation(OperationRef r, StreamObserver<OperationInfo> out) {
    answer(out, () -> toWire(operations.cancel(r.getId(), who(r.getBy()))));
  }

  @Override
  public void getOperation(OperationRef r, StreamObserver<OperationInfo> out) {
    answer(
        out,
        () ->
            toWire(
                operations
                    .get(r.getId())
                    .orElseThrow(
                        () -> new java.util.NoSuchElementException("no operation " + r.getId()))));
  }

  @Override
  public void listOperations(ListOperationsRequest r, StreamObserver<ListOperationsReply> out) {
    answer(
        out,
        () ->
            ListOperationsReply.newBuilder()
                .addAllOperations(
                    operations.list(r.getActiveOnly()).stream()
                        .map(OperationsService::toWire)
                        .toList())
                .build());
  }

  @Override
  public void watchEvents(WatchEventsRequest r, StreamObserver<Event> out) {
    ServerCallStreamObserver<Event> stream = (ServerCallStreamObserver<Event>) out;
    Object lock = new Object();
    AutoCloseable handle =
        operations
            .events()
            .watch(
                r.getReplay(),
                e -> {
                  synchronized (lock) {
                    if (!stream.isCancelled()) {
                      stream.onNext(toWire(e));
                    }
                  }
                });
    stream.setOnCancelHandler(
        () -> {
          try {
            handle.close();
          } catch (Exception ignored) {
            // removing a watcher cannot fail
          }
        });
  }

  @Override
  public void listAudit(ListAuditRequest r, StreamObserver<ListAuditReply> out) {
    answer(
        out,
        () ->
            ListAuditReply.newBuilder()
                .addAllEntries(
                    operations.audit().recent(r.getLimit() <= 0 ? 100 : r.getLimit()).stream()
                        .map(OperationsService::toWire)
                        .toList())
                .build());
  }

  @Override
  public void getHotSpots(HotSpotsRequest r, StreamObserver<HotSpotsReply> out) {
    answer(
        out,
        () -> {
          requireHotSpots();
          LoadWindow window = LoadWindow.parse(r.getWindow());
          int top = r.getTop() <= 0 ? 10 : r.getTop();
          HotSpotReport report = hotSpots.report(window);
          HotSpotsReply.Builder b = HotSpotsReply.newBuilder().setWindow(window.id());
          report.targets().forEach(s -> b.addTargets(entry("target", s)));
          report.chains().stream().limit(top).forEach(s -> b.addTopChains(entry("chain", s)));
          report.targets().stream().limit(top).forEach(s -> b.addTopTargets(entry("target", s)));
          report.nodes().stream().limit(top).forEach(s -> b.addTopNodes(entry("node", s)));
          report.tenants().stream().limit(top).forEach(s -> b.addTopTenants(entry("tenant", s)));
          if (!report.hotNodes().isEmpty()) {
            b.addReliefs(
                Relief.newBuilder()
                    .setDescription("move heads and replicas off hot nodes " + report.hotNodes())
                    .setOperation(
                        PlanOperationRequest.newBuilder()
                            .setRebalance(Rebalance.newBuilder().setWindow(window.id()))));
          }
          for (LoadScore s : report.hotSpots()) {
            if (s.relief() == io.catena.topology.hotspot.Relief.ADD_CHAINS) {
              b.addReliefs(
                  Relief.newBuilder()
                      .setDescription(
                          s.scope().name().toLowerCase(Locale.ROOT)
                              + " "
                              + s.id()
                              + " is hot beyond what its chains spread: add chains")
                      .setOperation(
                          PlanOperationRequest.newBuilder()
                              .setScaleOut(
                                  ScaleOut.newBuilder().setAddNodes(1).setMode("new-chains"))));
              break;
            }
          }
          return b.build();
        });
  }

  private void requireHotSpots() {
    if (hotSpots == null) {
      throw new UnsupportedOperationException("this control plane samples no load");
    }
  }

  private static LoadEntry entry(String scope, LoadScore s) {
    return LoadEntry.newBuilder()
        .setScope(scope)
        .setId(s.id())
        .setReadBytesPerS(s.bytesPerSecond() * (1 - s.writeShare()))
        .setWriteBytesPerS(s.bytesPerSecond() * s.writeShare())
        .setScore(s.ratio())
        .setHot(s.hot())
        .build();
  }

  @Override
  public void getThroughput(ThroughputRequest r, StreamObserver<ThroughputReply> out) {
    answer(
        out,
        () -> {
          requireHotSpots();
          ThroughputReply.Builder b = ThroughputReply.newBuilder();
          for (LoadSampler.ThroughputPoint p :
              hotSpots.sampler().throughput(LoadWindow.parse(r.getWindow()))) {
            b.addSamples(
                ThroughputSample.newBuilder()
                    .setAtMs(p.atMs())
                    .setReadBytesPerS(p.readBytesPerSecond())
                    .setWriteBytesPerS(p.writeBytesPerSecond()));
          }
          return b.build();
        });
  }

  @Override
  public void getSelfHealing(GetSelfHealingRequest r, StreamObserver<SelfHealingState> out) {
    answer(out, () -> toWire(requireHealer().state()));
  }

  @Override
  public void setSelfHealing(SetSelfHealingRequest r, StreamObserver<SelfHealingState> out) {
    answer(out, () -> toWire(requireHealer().setPaused(r.getPaused(), who(r.getBy()))));
  }

  private SelfHealer requireHealer() {
    if (selfHealer == null) {
      throw new UnsupportedOperationException("self-healing is not configured here");
    }
    return selfHealer;
  }

  static SelfHealingState toWire(SelfHealer.State s) {
    return SelfHealingState.newBuilder()
        .setPaused(s.paused())
        .setOfflineTimeoutMs(s.offlineTimeout().toMillis())
        .setMaxConcurrentRepairs(s.maxConcurrentRepairs())
        .setRepairsPerHour(s.repairsPerHour())
        .addAllActiveRepairs(s.activeRepairs())
        .build();
  }

  public static OperationInfo toWire(OperationView v) {
    OperationInfo.Builder b =
        OperationInfo.newBuilder()
            .setId(v.id())
            .setKind(v.kind().id())
            .setState(v.state().name())
            .setSummary(v.summary())
            .setBytesToMove(v.bytesToMove())
            .setBytesMoved(v.bytesMoved())
            .setProgress(v.progress())
            .setEtaMs(v.etaMs())
            .setMessage(v.message())
            .setRequestedBy(v.requestedBy())
            .setCreatedAtMs(v.createdAtMs())
            .setUpdatedAtMs(v.updatedAtMs());
    for (OperationView.Step s : v.steps()) {
      b.addSteps(
          PlanStepInfo.newBuilder()
              .setIndex(s.index())
              .setDescription(s.description())
              .setBytes(s.bytes())
              .setState(s.state().name()));
    }
    return b.build();
  }

  static io.catena.protocol.controlplane.AuditEntry toWire(AuditEntry e) {
    return io.catena.protocol.controlplane.AuditEntry.newBuilder()
        .setAtMs(e.atMs())
        .setWho(e.who())
        .setAction(e.action())
        .setTarget(e.target())
        .setOutcome(e.outcome())
        .setDetail(e.detail())
        .build();
  }

  static Event toWire(OpsEvent e) {
    Event.Builder b =
        Event.newBuilder()
            .setSequence(e.sequence())
            .setAtMs(e.atMs())
            .setKind(Event.Kind.valueOf(e.kind().name()))
            .setSeverity(e.severity().name())
            .setMessage(e.message());
    if (e.operation() != null) {
      b.setOperation(toWire(e.operation()));
    }
    if (e.audit() != null) {
      b.setAudit(toWire(e.audit()));
    }
    return b.build();
  }
}
