package io.catena.protocol.data;

/**
 * What a data-channel read returned besides the bytes (which went into the caller's buffer): the
 * committed version they belong to, the chunk's whole length and its stored CRC32C, and how many
 * bytes were read.
 */
public record ChunkReadReply(long commitVersion, int chunkLength, int crc32c, int length) {}
