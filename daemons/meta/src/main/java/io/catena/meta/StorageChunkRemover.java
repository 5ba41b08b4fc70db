package io.catena.meta;

import com.google.protobuf.ByteString;
import io.catena.protocol.chunk.ChunkIds;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.security.TransportSecurity;
import io.catena.protocol.storage.RemoveRequest;
import io.catena.protocol.storage.RemoveResponse;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a removal's whole chunks from storage: every chunk index in {@code [firstRemovedChunk,
 * endChunk)} is sent, grouped by chain, as {@code StorageService.Remove} to the chain's head (which
 * removes it on every replica, tail first), with the system tenant's token so storage's tenant
 * check lets it reach every chain. Removing a chunk that does not exist is a no-op, so a repeated
 * removal is harmless. Any failure (no routing yet, no serving head, storage unreachable, an error
 * answered) throws: the collector keeps the task and retries it.
 *
 * <p>The chunk holding {@code keepLength} is not cut: storage has no operation to shorten a chunk.
 */
public final class StorageChunkRemover implements ChunkRemover, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StorageChunkRemover.class);

  /** Chunk ids per Remove call. */
  static final int BATCH = 512;

  private final Supplier<Optional<RoutingInfo>> routing;
  private final Supplier<String> token;
  private final Duration callTimeout;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param routing mgmtd's latest routing info (empty before the first arrived)
   * @param token the system tenant's token, sent with every call
   */
  private final TransportSecurity transport;

  public StorageChunkRemover(
      Supplier<Optional<RoutingInfo>> routing, Supplier<String> token, Duration callTimeout) {
    this(routing, token, callTimeout, TransportSecurity.plaintext());
  }

  public StorageChunkRemover(
      Supplier<Optional<RoutingInfo>> routing,
      Supplier<String> token,
      Duration callTimeout,
      TransportSecurity transport) {
    this.transport = transport;
    this.routing = routing;
    this.token = token;
    this.callTimeout = callTimeout;
  }

  @Override
  public void remove(ChunkRemoval removal) {
    long first = removal.firstRemovedChunk();
    long end = Math.min(removal.endChunk(), ChunkIds.MAX_CHUNKS);
    if (first >= end) {
      return;
    }
    RoutingInfo info =
        routing.get().orElseThrow(() -> new IllegalStateException("no routing info from mgmtd"));
    String secret = token.get();
    if (secret == null || secret.isEmpty()) {
      throw new IllegalStateException("meta holds no system token yet");
    }
    Map<Integer, List<Long>> byChain = new TreeMap<>();
    for (long i = first; i < end; i++) {
      byChain.computeIfAbsent(removal.layout().chainOfChunk(i), c -> new ArrayList<>()).add(i);
    }
    int removed = 0;
    for (Map.Entry<Integer, List<Long>> e : byChain.entrySet()) {
      int chainId = e.getKey();
      ChainHead head =
          ChainHead.of(info, chainId)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "chain "
                              + chainId
                              + " has no serving head at routing "
                              + info.getVersion()));
      List<Long> indexes = e.getValue();
      for (int from = 0; from < indexes.size(); from += BATCH) {
        RemoveRequest.Builder req =
            RemoveRequest.newBuilder()
                .setChainId(chainId)
                .setChainVersion(head.chainVersion())
                .setToken(secret);
        for (long i : indexes.subList(from, Math.min(from + BATCH, indexes.size()))) {
          req.addChunkIds(ByteString.copyFrom(ChunkIds.of(removal.inodeId(), i)));
        }
        RemoveResponse r;
        try {
          r =
              StorageServiceGrpc.newBlockingStub(channel(head.address()))
                  .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                  .remove(req.build());
        } catch (StatusRuntimeException failed) {
          // A daemon that moved (restarted on a new port) leaves its old address unused.
          ManagedChannel gone = channels.remove(head.address());
          if (gone != null) {
            gone.shutdownNow();
          }
          throw failed;
        }
        if (r.hasError()) {
          throw new IllegalStateException(
              "storage "
                  + head.address()
                  + " refused removing chunks on chain "
                  + chainId
                  + ": "
                  + r.getError().getCode()
                  + " "
                  + r.getError().getMessage());
        }
        removed += r.getRemoved();
      }
    }
    log.debug(
        "removed {} chunks of inode {} (indexes {}..{})", removed, removal.inodeId(), first, end);
  }

  private ManagedChannel channel(String address) {
    if (closed) {
      throw new IllegalStateException("chunk remover is closed");
    }
    return channels.computeIfAbsent(
        address, a -> NettyChannelBuilder.forTarget(a, transport.channelCredentials(a)).build());
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
