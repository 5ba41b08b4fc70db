package io.catena.storage.chain;

import io.catena.storage.chunk.ChunkId;
import java.nio.ByteBuffer;

/** A client write as it enters the head. {@code dataCrc32c} 0 means "not given". */
public record WriteCommand(
    int chainId,
    long chainVersion,
    ChunkId chunk,
    int offset,
    ByteBuffer data,
    String requestId,
    String token,
    int dataCrc32c) {}
