package io.catena.storage.chain;

/** The committed state of a chunk after a write. */
public record WriteResult(long commitVersion, int chunkLength, int chunkCrc32c) {}
