package io.catena.storage.chunk;

import java.nio.ByteBuffer;

/** Committed bytes of a chunk and the version they belong to. */
public record ReadResult(ByteBuffer data, long commitVersion, int chunkLength, int crc32c) {}
