package io.catena.client.storage;

/** A write committed on every replica of its chain: the chunk's new version, length and CRC32C. */
public record WriteAck(long commitVersion, int chunkLength, int chunkCrc32c) {}
