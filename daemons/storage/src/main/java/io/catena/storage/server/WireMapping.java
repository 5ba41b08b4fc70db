package io.catena.storage.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.catena.protocol.common.ErrorCode;
import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.storage.ChainMember;
import io.catena.protocol.storage.ChunkMetaInfo;
import io.catena.protocol.storage.LocalState;
import io.catena.protocol.storage.PublicState;
import io.catena.protocol.storage.RequestId;
import io.catena.protocol.storage.UpdateRequest;
import io.catena.storage.StorageErrorCode;
import io.catena.storage.StorageException;
import io.catena.storage.chain.ChainView;
import io.catena.storage.chain.ChunkSummary;
import io.catena.storage.chain.LocalTargetState;
import io.catena.storage.chain.PublicTargetState;
import io.catena.storage.chain.UpdateCommand;
import io.catena.storage.chunk.ChunkId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Wire ↔ domain conversions of the storage services. Data buffers are wrapped, never copied. */
public final class WireMapping {
  private WireMapping() {}

  public static ByteString wrap(ByteBuffer buffer) {
    return buffer == null ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(buffer.duplicate());
  }

  public static ByteBuffer buffer(ByteString bytes) {
    return bytes.asReadOnlyByteBuffer();
  }

  public static ChunkId chunkId(ByteString bytes) {
    try {
      return ChunkId.of(bytes.toByteArray());
    } catch (IllegalArgumentException e) {
      throw new StorageException(StorageErrorCode.INVALID_ARGUMENT, e.getMessage());
    }
  }

  public static ByteString chunkId(ChunkId id) {
    return UnsafeByteOperations.unsafeWrap(id.toBytes());
  }

  public static String requestId(RequestId id) {
    return id.getClientId().isEmpty() ? "" : id.getClientId() + "#" + id.getSeq();
  }

  public static RequestId requestId(String id) {
    int hash = id.lastIndexOf('#');
    if (hash < 0) {
      return RequestId.getDefaultInstance();
    }
    return RequestId.newBuilder()
        .setClientId(id.substring(0, hash))
        .setSeq(Long.parseLong(id.substring(hash + 1)))
        .build();
  }

  public static ErrorDetail error(StorageException e) {
    return ErrorDetail.newBuilder()
        .setCode(code(e.code()))
        .setMessage(e.getMessage() == null ? e.code().name() : e.getMessage())
        .setRetryable(e.retryable())
        .setCurrentVersion(e.currentVersion())
        .build();
  }

  public static ErrorDetail error(RuntimeException e) {
    if (e instanceof StorageException se) {
      return error(se);
    }
    if (e instanceof IllegalArgumentException) {
      return ErrorDetail.newBuilder()
          .setCode(ErrorCode.INVALID_ARGUMENT)
          .setMessage(String.valueOf(e.getMessage()))
          .build();
    }
    return ErrorDetail.newBuilder()
        .setCode(ErrorCode.INTERNAL)
        .setMessage("internal error: " + e)
        .build();
  }

  static ErrorCode code(StorageErrorCode code) {
    return switch (code) {
      case NOT_FOUND -> ErrorCode.NOT_FOUND;
      case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
      case PERMISSION_DENIED -> ErrorCode.PERMISSION_DENIED;
      case STALE_CHAIN_VERSION -> ErrorCode.STALE_CHAIN_VERSION;
      case NOT_SERVING -> ErrorCode.TARGET_NOT_SERVING;
      case MISSING_UPDATE, UNAVAILABLE -> ErrorCode.UNAVAILABLE;
      case CHECKSUM_MISMATCH -> ErrorCode.CHECKSUM_MISMATCH;
      case NO_SPACE -> ErrorCode.QUOTA_EXCEEDED;
      case IO_ERROR, INTERNAL -> ErrorCode.INTERNAL;
    };
  }

  /** The domain exception a wire error stands for (used by peers and clients of the service). */
  public static StorageException exception(ErrorDetail e) {
    StorageErrorCode code =
        switch (e.getCode()) {
          case NOT_FOUND -> StorageErrorCode.NOT_FOUND;
          case INVALID_ARGUMENT -> StorageErrorCode.INVALID_ARGUMENT;
          case PERMISSION_DENIED -> StorageErrorCode.PERMISSION_DENIED;
          case STALE_CHAIN_VERSION, STALE_ROUTING -> StorageErrorCode.STALE_CHAIN_VERSION;
          case TARGET_NOT_SERVING -> StorageErrorCode.NOT_SERVING;
          case UNAVAILABLE -> StorageErrorCode.UNAVAILABLE;
          case CHECKSUM_MISMATCH -> StorageErrorCode.CHECKSUM_MISMATCH;
          case QUOTA_EXCEEDED -> StorageErrorCode.NO_SPACE;
          default -> StorageErrorCode.INTERNAL;
        };
    return new StorageException(code, e.getMessage(), e.getCurrentVersion(), null);
  }

  public static UpdateRequest update(UpdateCommand c) {
    return UpdateRequest.newBuilder()
        .setChainId(c.chainId())
        .setChainVersion(c.chainVersion())
        .setTargetId(c.targetId())
        .setChunkId(chunkId(c.chunk()))
        .setUpdateVersion(c.updateVersion())
        .setOffset(c.offset())
        .setData(wrap(c.data()))
        .setFullChunk(c.fullChunk())
        .setRemove(c.remove())
        .setSyncInstall(c.syncInstall())
        .setRequestId(requestId(c.requestId()))
        .setChunkCrc32C(c.chunkCrc32c())
        .build();
  }

  public static UpdateCommand update(UpdateRequest r) {
    return update(r, buffer(r.getData()));
  }

  /** The command of {@code r} with its data already copied into {@code data}. */
  public static UpdateCommand update(UpdateRequest r, ByteBuffer data) {
    return new UpdateCommand(
        r.getChainId(),
        r.getChainVersion(),
        r.getTargetId(),
        chunkId(r.getChunkId()),
        r.getUpdateVersion(),
        r.getOffset(),
        data,
        r.getFullChunk(),
        r.getRemove(),
        r.getSyncInstall(),
        r.hasRequestId() ? requestId(r.getRequestId()) : "",
        r.getChunkCrc32C());
  }

  public static ChunkMetaInfo meta(ChunkSummary s) {
    return ChunkMetaInfo.newBuilder()
        .setChunkId(chunkId(s.chunk()))
        .setCommitVersion(s.commitVersion())
        .setUpdateVersion(s.commitVersion())
        .setChainVersion(s.chainVersion())
        .setLength(s.length())
        .setCrc32C(s.crc32c())
        .build();
  }

  public static ChunkSummary summary(ChunkMetaInfo m) {
    return new ChunkSummary(
        chunkId(m.getChunkId()),
        m.getCommitVersion(),
        m.getChainVersion(),
        m.getLength(),
        m.getCrc32C());
  }

  public static LocalState localState(LocalTargetState s) {
    return switch (s) {
      case UPTODATE -> LocalState.UPTODATE;
      case ONLINE -> LocalState.ONLINE;
      case OFFLINE -> LocalState.OFFLINE;
    };
  }

  public static LocalTargetState localState(LocalState s) {
    return switch (s) {
      case UPTODATE -> LocalTargetState.UPTODATE;
      case ONLINE -> LocalTargetState.ONLINE;
      default -> LocalTargetState.OFFLINE;
    };
  }

  public static PublicState publicState(PublicTargetState s) {
    return switch (s) {
      case SERVING -> PublicState.SERVING;
      case LASTSRV -> PublicState.LASTSRV;
      case SYNCING -> PublicState.SYNCING;
      case WAITING -> PublicState.WAITING;
      case OFFLINE -> PublicState.PUBLIC_OFFLINE;
    };
  }

  public static PublicTargetState publicState(PublicState s) {
    return switch (s) {
      case SERVING -> PublicTargetState.SERVING;
      case LASTSRV -> PublicTargetState.LASTSRV;
      case SYNCING -> PublicTargetState.SYNCING;
      case WAITING -> PublicTargetState.WAITING;
      case PUBLIC_OFFLINE -> PublicTargetState.OFFLINE;
      default -> throw new IllegalArgumentException("unknown public state " + s);
    };
  }

  public static io.catena.protocol.storage.ChainView chainView(ChainView v) {
    var b =
        io.catena.protocol.storage.ChainView.newBuilder()
            .setChainId(v.chainId())
            .setChainVersion(v.version());
    for (var m : v.members()) {
      b.addMembers(
          ChainMember.newBuilder()
              .setTargetId(m.targetId())
              .setState(publicState(m.state()))
              .setAddress(m.address()));
    }
    return b.build();
  }

  public static ChainView chainView(io.catena.protocol.storage.ChainView v) {
    List<io.catena.storage.chain.ChainMember> members = new ArrayList<>();
    for (ChainMember m : v.getMembersList()) {
      members.add(
          new io.catena.storage.chain.ChainMember(
              m.getTargetId(), publicState(m.getState()), m.getAddress()));
    }
    return new ChainView(v.getChainId(), v.getChainVersion(), members);
  }
}
