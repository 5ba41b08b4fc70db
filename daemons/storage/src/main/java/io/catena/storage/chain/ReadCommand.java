package io.catena.storage.chain;

import io.catena.storage.chunk.ChunkId;

/** A client read; {@code length} 0 reads to the end of the chunk. */
public record ReadCommand(
    int chainId, long chainVersion, ChunkId chunk, int offset, int length, String token) {}
