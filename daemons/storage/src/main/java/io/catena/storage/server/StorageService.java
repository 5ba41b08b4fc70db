package io.catena.storage.server;

import io.catena.protocol.storage.BatchReadRequest;
import io.catena.protocol.storage.BatchReadResponse;
import io.catena.protocol.storage.QueryChunksRequest;
import io.catena.protocol.storage.QueryChunksResponse;
import io.catena.protocol.storage.ReadRequest;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.RemoveRequest;
import io.catena.protocol.storage.RemoveResponse;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.SyncDoneRequest;
import io.catena.protocol.storage.SyncDoneResponse;
import io.catena.protocol.storage.SyncDumpChunk;
import io.catena.protocol.storage.SyncDumpRequest;
import io.catena.protocol.storage.SyncStartRequest;
import io.catena.protocol.storage.SyncStartResponse;
import io.catena.protocol.storage.TargetStatsRequest;
import io.catena.protocol.storage.TargetStatsResponse;
import io.catena.protocol.storage.UpdateRequest;
import io.catena.protocol.storage.UpdateResponse;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.StorageErrorCode;
import io.catena.storage.StorageException;
import io.catena.storage.chain.ChainReplicator;
import io.catena.storage.chain.ChunkSummary;
import io.catena.storage.chain.ReadCommand;
import io.catena.storage.chain.StorageTarget;
import io.catena.storage.chain.UpdateOutcome;
import io.catena.storage.chain.WriteCommand;
import io.catena.storage.chain.WriteResult;
import io.catena.storage.chunk.ChunkId;
import io.catena.storage.chunk.ChunkMeta;
import io.catena.storage.chunk.ReadResult;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** gRPC StorageService: translates wire ↔ domain and calls the {@link ChainReplicator}. */
public final class StorageService extends StorageServiceGrpc.StorageServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(StorageService.class);
  private static final int DUMP_BATCH = 1024;
  private final ChainReplicator replicator;
  private final int nodeId;
  private final DirectBufferPool buffers;

  public StorageService(ChainReplicator replicator, int nodeId) {
    this.replicator = replicator;
    this.nodeId = nodeId;
    this.buffers = new DirectBufferPool(4 * 1024 * 1024, DirectBufferPool.defaultBudget());
  }

  private ByteBuffer copyIn(com.google.protobuf.ByteString data) {
    ByteBuffer b = buffers.acquire(data.size());
    data.copyTo(b);
    return b.flip();
  }

  @Override
  public void write(WriteRequest r, StreamObserver<WriteResponse> out) {
    WriteResponse.Builder b = WriteResponse.newBuilder();
    ByteBuffer data = null;
    try {
      data = copyIn(r.getData());
      WriteResult result =
          replicator.write(
              new WriteCommand(
                  r.getChainId(),
                  r.getChainVersion(),
                  WireMapping.chunkId(r.getChunkId()),
                  r.getOffset(),
                  data,
                  WireMapping.requestId(r.getRequestId()),
                  r.getToken(),
                  r.getDataCrc32C()));
      b.setCommitVersion(result.commitVersion())
          .setChunkLength(result.chunkLength())
          .setChunkCrc32C(result.chunkCrc32c());
    } catch (RuntimeException e) {
      b.setError(failure("write", e));
    } finally {
      buffers.release(data);
    }
    reply(out, b.build());
  }

  @Override
  public void read(ReadRequest r, StreamObserver<ReadResponse> out) {
    List<ByteBuffer> used = new ArrayList<>(1);
    try {
      reply(out, readOne(r, used));
    } finally {
      used.forEach(buffers::release);
    }
  }

  @Override
  public void batchRead(BatchReadRequest r, StreamObserver<BatchReadResponse> out) {
    BatchReadResponse.Builder b = BatchReadResponse.newBuilder();
    List<ByteBuffer> used = new ArrayList<>(r.getReadsCount());
    try {
      for (ReadRequest one : r.getReadsList()) {
        b.addResults(readOne(one, used));
      }
      reply(out, b.build());
    } finally {
      used.forEach(buffers::release);
    }
  }

  private ReadResponse readOne(ReadRequest r, List<ByteBuffer> used) {
    ReadResponse.Builder b = ReadResponse.newBuilder();
    try {
      ReadResult result =
          replicator.read(
              new ReadCommand(
                  r.getChainId(),
                  r.getChainVersion(),
                  WireMapping.chunkId(r.getChunkId()),
                  r.getOffset(),
                  r.getLength(),
                  r.getToken()),
              size -> {
                ByteBuffer buf = buffers.acquire(size);
                used.add(buf);
                return buf;
              });
      b.setData(WireMapping.wrap(result.data()))
          .setCommitVersion(result.commitVersion())
          .setChunkLength(result.chunkLength())
          .setChunkCrc32C(result.crc32c());
    } catch (RuntimeException e) {
      b.setError(failure("read", e));
    }
    return b.build();
  }

  @Override
  public void remove(RemoveRequest r, StreamObserver<RemoveResponse> out) {
    RemoveResponse.Builder b = RemoveResponse.newBuilder();
    try {
      List<ChunkId> ids = new ArrayList<>();
      r.getChunkIdsList().forEach(bs -> ids.add(WireMapping.chunkId(bs)));
      b.setRemoved(replicator.remove(r.getChainId(), r.getChainVersion(), ids, r.getToken()));
    } catch (RuntimeException e) {
      b.setError(failure("remove", e));
    }
    reply(out, b.build());
  }

  @Override
  public void queryChunks(QueryChunksRequest r, StreamObserver<QueryChunksResponse> out) {
    QueryChunksResponse.Builder b = QueryChunksResponse.newBuilder();
    try {
      StorageTarget t =
          replicator
              .target(r.getTargetId())
              .orElseThrow(
                  () ->
                      new StorageException(
                          StorageErrorCode.NOT_FOUND, "no target " + r.getTargetId()));
      if (r.getChunkIdsCount() == 0) {
        ChainReplicator.summaries(t).forEach(s -> b.addChunks(WireMapping.meta(s)));
      } else {
        for (var bs : r.getChunkIdsList()) {
          ChunkId id = WireMapping.chunkId(bs);
          t.engine()
              .meta(id)
              .filter(m -> m.committed() != null)
              .ifPresent(m -> b.addChunks(meta(m)));
        }
      }
    } catch (RuntimeException e) {
      b.setError(failure("query chunks", e));
    }
    reply(out, b.build());
  }

  private static io.catena.protocol.storage.ChunkMetaInfo meta(ChunkMeta m) {
    var c = m.committed();
    return WireMapping.meta(
            new ChunkSummary(m.id(), c.version(), c.chainVersion(), c.length(), c.crc32c()))
        .toBuilder()
        .setUpdateVersion(m.updateVersion())
        .build();
  }

  @Override
  public void targetStats(TargetStatsRequest r, StreamObserver<TargetStatsResponse> out) {
    TargetStatsResponse.Builder b = TargetStatsResponse.newBuilder().setNodeId(nodeId);
    b.addAllTargets(StorageAdminService.stats(replicator));
    reply(out, b.build());
  }

  @Override
  public void update(UpdateRequest r, StreamObserver<UpdateResponse> out) {
    UpdateResponse.Builder b = UpdateResponse.newBuilder();
    ByteBuffer data = null;
    try {
      data = copyIn(r.getData());
      UpdateOutcome o = replicator.update(WireMapping.update(r, data));
      b.setCommitVersion(o.commitVersion()).setChunkCrc32C(o.chunkCrc32c());
    } catch (RuntimeException e) {
      if (e instanceof StorageException se && se.code() == StorageErrorCode.MISSING_UPDATE) {
        b.setMissingUpdate(true);
      }
      b.setError(failure("update", e));
    } finally {
      buffers.release(data);
    }
    reply(out, b.build());
  }

  @Override
  public void syncStart(SyncStartRequest r, StreamObserver<SyncStartResponse> out) {
    SyncStartResponse.Builder b = SyncStartResponse.newBuilder();
    try {
      replicator.syncStart(r.getChainId(), r.getChainVersion(), r.getTargetId());
    } catch (RuntimeException e) {
      b.setError(failure("sync start", e));
    }
    reply(out, b.build());
  }

  @Override
  public void syncDump(SyncDumpRequest r, StreamObserver<SyncDumpChunk> out) {
    try {
      List<ChunkSummary> all =
          replicator.syncDump(r.getChainId(), r.getChainVersion(), r.getTargetId());
      SyncDumpChunk.Builder b = SyncDumpChunk.newBuilder();
      for (ChunkSummary s : all) {
        b.addChunks(WireMapping.meta(s));
        if (b.getChunksCount() == DUMP_BATCH) {
          out.onNext(b.build());
          b = SyncDumpChunk.newBuilder();
        }
      }
      if (b.getChunksCount() > 0) {
        out.onNext(b.build());
      }
    } catch (RuntimeException e) {
      out.onNext(SyncDumpChunk.newBuilder().setError(failure("sync dump", e)).build());
    }
    out.onCompleted();
  }

  @Override
  public void syncDone(SyncDoneRequest r, StreamObserver<SyncDoneResponse> out) {
    SyncDoneResponse.Builder b = SyncDoneResponse.newBuilder();
    try {
      replicator.syncDone(r.getChainId(), r.getChainVersion(), r.getTargetId());
    } catch (RuntimeException e) {
      b.setError(failure("sync done", e));
    }
    reply(out, b.build());
  }

  private static io.catena.protocol.common.ErrorDetail failure(String what, RuntimeException e) {
    if (!(e instanceof StorageException)) {
      log.warn("{} failed unexpectedly", what, e);
    }
    return WireMapping.error(e);
  }

  static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
