package io.catena.storage.chain;

import io.catena.storage.chunk.ChunkId;
import java.nio.ByteBuffer;

/**
 * A chain-internal update sent by a predecessor to {@code targetId}: version {@code updateVersion}
 * of a chunk as a range write, a whole-chunk write ({@code fullChunk}), a removal, or a sync
 * install (the receiver takes the content and version as committed).
 */
public record UpdateCommand(
    int chainId,
    long chainVersion,
    long targetId,
    ChunkId chunk,
    long updateVersion,
    int offset,
    ByteBuffer data,
    boolean fullChunk,
    boolean remove,
    boolean syncInstall,
    String requestId,
    int chunkCrc32c) {

  public UpdateCommand to(long target, long version) {
    return new UpdateCommand(
        chainId,
        version,
        target,
        chunk,
        updateVersion,
        offset,
        data,
        fullChunk,
        remove,
        syncInstall,
        requestId,
        chunkCrc32c);
  }

  public UpdateCommand asFullChunk(ByteBuffer content) {
    return new UpdateCommand(
        chainId,
        chainVersion,
        targetId,
        chunk,
        updateVersion,
        0,
        content,
        true,
        remove,
        syncInstall,
        requestId,
        chunkCrc32c);
  }
}
