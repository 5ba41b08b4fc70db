package io.catena.storage.server;

import io.catena.protocol.storage.ApplyRoutingRequest;
import io.catena.protocol.storage.ApplyRoutingResponse;
import io.catena.protocol.storage.CreateTargetRequest;
import io.catena.protocol.storage.CreateTargetResponse;
import io.catena.protocol.storage.LocalStatesRequest;
import io.catena.protocol.storage.LocalStatesResponse;
import io.catena.protocol.storage.OfflineTargetRequest;
import io.catena.protocol.storage.OfflineTargetResponse;
import io.catena.protocol.storage.RemoveTargetRequest;
import io.catena.protocol.storage.RemoveTargetResponse;
import io.catena.protocol.storage.StorageAdminServiceGrpc;
import io.catena.protocol.storage.TargetStat;
import io.catena.storage.StorageErrorCode;
import io.catena.storage.StorageException;
import io.catena.storage.chain.ChainReplicator;
import io.catena.storage.chain.StaticRoutingSource;
import io.catena.storage.chain.StorageMetrics;
import io.catena.storage.chain.StorageTarget;
import io.catena.storage.chunk.SpaceStats;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** gRPC StorageAdminService: target lifecycle, routing push, local states. */
public final class StorageAdminService extends StorageAdminServiceGrpc.StorageAdminServiceImplBase {
  private final StorageServer server;

  StorageAdminService(StorageServer server) {
    this.server = server;
  }

  @Override
  public void createTarget(CreateTargetRequest r, StreamObserver<CreateTargetResponse> out) {
    CreateTargetResponse.Builder b = CreateTargetResponse.newBuilder();
    try {
      if (r.getDirectory().isBlank()) {
        throw new StorageException(StorageErrorCode.INVALID_ARGUMENT, "a directory is needed");
      }
      server.createTarget(
          new TargetConfig(r.getTargetId(), r.getChainId(), Path.of(r.getDirectory())));
    } catch (RuntimeException e) {
      b.setError(WireMapping.error(e));
    }
    StorageService.reply(out, b.build());
  }

  @Override
  public void offlineTarget(OfflineTargetRequest r, StreamObserver<OfflineTargetResponse> out) {
    OfflineTargetResponse.Builder b = OfflineTargetResponse.newBuilder();
    try {
      server.replicator().offline(r.getTargetId(), "taken offline by an administrator");
    } catch (RuntimeException e) {
      b.setError(WireMapping.error(e));
    }
    StorageService.reply(out, b.build());
  }

  @Override
  public void removeTarget(RemoveTargetRequest r, StreamObserver<RemoveTargetResponse> out) {
    RemoveTargetResponse.Builder b = RemoveTargetResponse.newBuilder();
    try {
      server.removeTarget(r.getTargetId());
    } catch (RuntimeException e) {
      b.setError(WireMapping.error(e));
    }
    StorageService.reply(out, b.build());
  }

  @Override
  public void applyRouting(ApplyRoutingRequest r, StreamObserver<ApplyRoutingResponse> out) {
    try {
      StaticRoutingSource routing = server.pushableRouting();
      for (var view : r.getChainsList()) {
        routing.apply(WireMapping.chainView(view));
      }
      StorageService.reply(out, ApplyRoutingResponse.getDefaultInstance());
    } catch (RuntimeException e) {
      out.onError(
          io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void localStates(LocalStatesRequest r, StreamObserver<LocalStatesResponse> out) {
    StorageService.reply(
        out,
        LocalStatesResponse.newBuilder()
            .setNodeId(server.config().nodeId())
            .addAllTargets(stats(server.replicator()))
            .build());
  }

  static List<TargetStat> stats(ChainReplicator replicator) {
    List<TargetStat> out = new ArrayList<>();
    for (StorageTarget t : replicator.targets()) {
      SpaceStats s = t.engine().space();
      StorageMetrics.Totals io = replicator.metrics().totals(t.targetId());
      out.add(
          TargetStat.newBuilder()
              .setTargetId(t.targetId())
              .setChainId(t.chainId())
              .setLocalState(WireMapping.localState(t.localState()))
              .setCapacityBytes(s.capacityBytes())
              .setUsedBytes(s.usedBytes())
              .setChunkBytes(s.chunkBytes())
              .setChunkCount(s.chunkCount())
              .setReadBytes(io.readBytes())
              .setWriteBytes(io.writeBytes())
              .setReadOps(io.readOps())
              .setWriteOps(io.writeOps())
              .build());
    }
    out.sort((a, b) -> Long.compare(a.getTargetId(), b.getTargetId()));
    return out;
  }
}
