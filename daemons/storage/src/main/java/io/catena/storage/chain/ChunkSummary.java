package io.catena.storage.chain;

import io.catena.storage.chunk.ChunkId;

/** A committed chunk as sync compares it. */
public record ChunkSummary(
    ChunkId chunk, long commitVersion, long chainVersion, int length, int crc32c) {}
