package io.catena.storage.server;

import com.google.protobuf.ByteString;
import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.storage.QueryChunksRequest;
import io.catena.protocol.storage.ReadRequest;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.RequestId;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.chain.ChainMember;
import io.catena.storage.chain.ChainView;
import io.catena.storage.chain.ChunkSummary;
import io.catena.storage.chunk.ChunkId;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a storage client does, reduced to tests' needs: send writes to the current head and retry
 * retryable failures after a routing refresh; read from a chosen replica.
 */
final class StorageTestClient implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Supplier<ChainView> routing;
  private final Duration retryFor;

  private final io.grpc.ChannelCredentials credentials;

  StorageTestClient(Supplier<ChainView> routing, Duration retryFor) {
    this(routing, retryFor, InsecureChannelCredentials.create());
  }

  StorageTestClient(
      Supplier<ChainView> routing, Duration retryFor, io.grpc.ChannelCredentials credentials) {
    this.routing = routing;
    this.retryFor = retryFor;
    this.credentials = credentials;
  }

  StorageServiceGrpc.StorageServiceBlockingStub stub(String address) {
    ManagedChannel ch =
        channels.computeIfAbsent(
            address,
            a ->
                Grpc.newChannelBuilder(a, credentials)
                    .maxInboundMessageSize(GrpcChainPeers.MAX_MESSAGE_BYTES)
                    .build());
    return StorageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** One attempt at the current head. */
  WriteResponse writeOnce(ChunkId chunk, int offset, byte[] data, String client, long seq) {
    ChainView view = routing.get();
    ChainMember head = view.head().orElseThrow();
    return stub(head.address())
        .write(
            WriteRequest.newBuilder()
                .setChainId(view.chainId())
                .setChainVersion(view.version())
                .setChunkId(ByteString.copyFrom(chunk.toBytes()))
                .setOffset(offset)
                .setData(ByteString.copyFrom(data))
                .setRequestId(RequestId.newBuilder().setClientId(client).setSeq(seq))
                .build());
  }

  /** Retries retryable failures (and unreachable heads) until acknowledged or out of time. */
  WriteResponse write(ChunkId chunk, int offset, byte[] data, String client, long seq) {
    long deadline = System.nanoTime() + retryFor.toNanos();
    WriteResponse last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = writeOnce(chunk, offset, data, client, seq);
        if (!last.hasError() || !last.getError().getRetryable()) {
          return last;
        }
      } catch (StatusRuntimeException | java.util.NoSuchElementException e) {
        last =
            WriteResponse.newBuilder()
                .setError(ErrorDetail.newBuilder().setMessage(e.toString()).setRetryable(true))
                .build();
      }
      pause();
    }
    return last;
  }

  ReadResponse read(String address, ChunkId chunk) {
    ChainView view = routing.get();
    return stub(address)
        .read(
            ReadRequest.newBuilder()
                .setChainId(view.chainId())
                .setChainVersion(view.version())
                .setChunkId(ByteString.copyFrom(chunk.toBytes()))
                .build());
  }

  List<ChunkSummary> chunks(String address, long targetId) {
    var r =
        stub(address).queryChunks(QueryChunksRequest.newBuilder().setTargetId(targetId).build());
    return r.getChunksList().stream().map(WireMapping::summary).toList();
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
