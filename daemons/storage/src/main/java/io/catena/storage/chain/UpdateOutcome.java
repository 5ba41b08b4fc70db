package io.catena.storage.chain;

/** What a successor answers to an update: the version it holds committed and that version's CRC. */
public record UpdateOutcome(long commitVersion, int chunkCrc32c) {}
