package io.catena.mgmtd.service;

import io.catena.mgmtd.cluster.ClusterManager;
import io.catena.mgmtd.cluster.MgmtdSettings;
import io.catena.mgmtd.ha.PrimaryElection;
import io.catena.protocol.mgmtd.GetPrimaryRequest;
import io.catena.protocol.mgmtd.GetPrimaryResponse;
import io.catena.protocol.mgmtd.GetRoutingInfoRequest;
import io.catena.protocol.mgmtd.GetRoutingInfoResponse;
import io.catena.protocol.mgmtd.HeartbeatRequest;
import io.catena.protocol.mgmtd.HeartbeatResponse;
import io.catena.protocol.mgmtd.MgmtdServiceGrpc;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.function.Supplier;

/** Translates MgmtdService calls to the {@link ClusterManager}; nothing else. */
public final class MgmtdGrpcService extends MgmtdServiceGrpc.MgmtdServiceImplBase {

  private final ClusterManager cluster;
  private final PrimaryElection election;
  private final MgmtdSettings settings;
  private final String selfId;
  private final Supplier<String> selfAddress;
  private final RoutingWatchers watchers = new RoutingWatchers();

  public MgmtdGrpcService(
      ClusterManager cluster,
      PrimaryElection election,
      MgmtdSettings settings,
      String selfId,
      Supplier<String> selfAddress) {
    this.cluster = cluster;
    this.election = election;
    this.settings = settings;
    this.selfId = selfId;
    this.selfAddress = selfAddress;
    cluster.onVersionChange(v -> watchers.publish(() -> cluster.routingInfo(selfAddress.get())));
  }

  @Override
  public void getPrimary(GetPrimaryRequest request, StreamObserver<GetPrimaryResponse> out) {
    GetPrimaryResponse.Builder b = GetPrimaryResponse.newBuilder();
    boolean primary = election.isPrimary();
    b.setThisIsPrimary(primary);
    if (primary) {
      b.setPrimaryAddress(selfAddress.get()).setPrimaryId(selfId);
    } else {
      election
          .currentLease()
          .ifPresent(l -> b.setPrimaryAddress(l.getHolderAddress()).setPrimaryId(l.getHolderId()));
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
    Optional<String> forged = HeartbeatCallers.refusal(request, cluster::topology);
    if (forged.isPresent()) {
      out.onError(Status.PERMISSION_DENIED.withDescription(forged.get()).asRuntimeException());
      return;
    }
    out.onNext(
        Errors.answer(
            () ->
                HeartbeatResponse.newBuilder()
                    .setRoutingVersion(cluster.heartbeat(request))
                    .setHeartbeatIntervalMs((int) settings.heartbeatInterval().toMillis())
                    .build(),
            e -> HeartbeatResponse.newBuilder().setError(e).build()));
    out.onCompleted();
  }

  @Override
  public void getRoutingInfo(
      GetRoutingInfoRequest request, StreamObserver<GetRoutingInfoResponse> out) {
    out.onNext(
        Errors.answer(
            () -> {
              GetRoutingInfoResponse.Builder b = GetRoutingInfoResponse.newBuilder();
              if (request.getKnownVersion() != cluster.routingVersion()) {
                b.setInfo(cluster.routingInfo(selfAddress.get()));
              }
              return b.build();
            },
            e -> GetRoutingInfoResponse.newBuilder().setError(e).build()));
    out.onCompleted();
  }

  @Override
  public void watchRoutingInfo(GetRoutingInfoRequest request, StreamObserver<RoutingInfo> out) {
    RoutingInfo current;
    try {
      current = cluster.routingInfo(selfAddress.get());
    } catch (RuntimeException e) {
      out.onError(io.grpc.Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    watchers.add(out, current);
  }

  /** Ends the watch streams (this instance stopped being primary or is shutting down). */
  public void closeWatchers(String why) {
    watchers.closeAll(new IllegalStateException(why));
  }

  public void shutdown() {
    watchers.close();
  }
}
