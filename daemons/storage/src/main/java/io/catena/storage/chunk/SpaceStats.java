package io.catena.storage.chunk;

/**
 * Space of one target: {@code usedBytes} counts allocated slots (what the disk holds), {@code
 * chunkBytes} the chunks' committed lengths (what clients stored).
 */
public record SpaceStats(long capacityBytes, long usedBytes, long chunkBytes, long chunkCount) {}
