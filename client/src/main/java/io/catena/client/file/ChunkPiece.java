package io.catena.client.file;

/**
 * The part of a file range that falls into one chunk: chunk {@code chunkIndex} on chain {@code
 * chainId}, bytes {@code [chunkOffset, chunkOffset + length)} of it, which are bytes {@code
 * [bufferOffset, bufferOffset + length)} of the caller's buffer.
 */
public record ChunkPiece(
    long chunkIndex, int chainId, int chunkOffset, int length, int bufferOffset) {}
