package io.catena.storage.server;

import io.catena.protocol.security.TransportSecurity;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.SyncDoneRequest;
import io.catena.protocol.storage.SyncDumpChunk;
import io.catena.protocol.storage.SyncDumpRequest;
import io.catena.protocol.storage.SyncStartRequest;
import io.catena.protocol.storage.UpdateResponse;
import io.catena.storage.StorageErrorCode;
import io.catena.storage.StorageException;
import io.catena.storage.chain.ChainPeers;
import io.catena.storage.chain.ChunkSummary;
import io.catena.storage.chain.UpdateCommand;
import io.catena.storage.chain.UpdateOutcome;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** {@link ChainPeers} over gRPC: one channel per peer address, kept for the daemon's lifetime. */
public final class GrpcChainPeers implements ChainPeers {
  static final int MAX_MESSAGE_BYTES = 80 * 1024 * 1024;

  /**
   * HTTP/2 flow-control window per stream. gRPC's 1 MiB default makes a 4 MiB chunk wait for
   * several window updates; a window above the chunk size lets it flow in one go.
   */
  public static final int FLOW_CONTROL_WINDOW = 16 * 1024 * 1024;

  /** A plaintext channel to a storage daemon on loopback sized for chunk transfers. */
  public static ManagedChannel channel(String address) {
    return channel(address, TransportSecurity.plaintext());
  }

  /** A channel to a storage daemon sized for chunk transfers, secured by {@code transport}. */
  public static ManagedChannel channel(String address, TransportSecurity transport) {
    return NettyChannelBuilder.forTarget(address, transport.channelCredentials(address))
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .flowControlWindow(FLOW_CONTROL_WINDOW)
        .build();
  }

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Duration callTimeout;
  private final TransportSecurity transport;

  public GrpcChainPeers(Duration callTimeout, TransportSecurity transport) {
    this.callTimeout = callTimeout;
    this.transport = transport;
  }

  private StorageServiceGrpc.StorageServiceBlockingStub stub(String address) {
    ManagedChannel ch = channels.computeIfAbsent(address, a -> channel(a, transport));
    return StorageServiceGrpc.newBlockingStub(ch)
        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public UpdateOutcome update(String address, UpdateCommand command) {
    UpdateResponse r = call(address, () -> stub(address).update(WireMapping.update(command)));
    if (r.hasError()) {
      if (r.getMissingUpdate()) {
        throw new StorageException(StorageErrorCode.MISSING_UPDATE, r.getError().getMessage());
      }
      throw WireMapping.exception(r.getError());
    }
    return new UpdateOutcome(r.getCommitVersion(), r.getChunkCrc32C());
  }

  @Override
  public void syncStart(String address, int chainId, long chainVersion, long targetId) {
    var r =
        call(
            address,
            () ->
                stub(address)
                    .syncStart(
                        SyncStartRequest.newBuilder()
                            .setChainId(chainId)
                            .setChainVersion(chainVersion)
                            .setTargetId(targetId)
                            .build()));
    if (r.hasError()) {
      throw WireMapping.exception(r.getError());
    }
  }

  @Override
  public List<ChunkSummary> syncDump(
      String address, int chainId, long chainVersion, long targetId) {
    return call(
        address,
        () -> {
          List<ChunkSummary> out = new ArrayList<>();
          Iterator<SyncDumpChunk> it =
              stub(address)
                  .syncDump(
                      SyncDumpRequest.newBuilder()
                          .setChainId(chainId)
                          .setChainVersion(chainVersion)
                          .setTargetId(targetId)
                          .build());
          while (it.hasNext()) {
            SyncDumpChunk c = it.next();
            if (c.hasError()) {
              throw WireMapping.exception(c.getError());
            }
            c.getChunksList().forEach(m -> out.add(WireMapping.summary(m)));
          }
          return out;
        });
  }

  @Override
  public void syncDone(String address, int chainId, long chainVersion, long targetId) {
    var r =
        call(
            address,
            () ->
                stub(address)
                    .syncDone(
                        SyncDoneRequest.newBuilder()
                            .setChainId(chainId)
                            .setChainVersion(chainVersion)
                            .setTargetId(targetId)
                            .build()));
    if (r.hasError()) {
      throw WireMapping.exception(r.getError());
    }
  }

  private static <T> T call(String address, java.util.function.Supplier<T> rpc) {
    // Forwards run inside the predecessor's incoming call; without a fork its cancellation (the
    // predecessor died) would cancel every retry here while the chunk lock is held.
    io.grpc.Context detached = io.grpc.Context.current().fork();
    io.grpc.Context previous = detached.attach();
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw new StorageException(
          StorageErrorCode.UNAVAILABLE,
          "storage daemon " + address + " unreachable: " + e.getStatus(),
          e);
    } finally {
      detached.detach(previous);
    }
  }

  @Override
  public void close() {
    for (ManagedChannel ch : channels.values()) {
      ch.shutdownNow();
    }
    channels.clear();
  }
}
