package io.catena.client.storage;

/**
 * What a client's data-channel reads did: reads answered over the data channel (data or a refusal
 * such as NOT_FOUND), the bytes they brought, and reads that fell back to gRPC because the data
 * channel could not be reached or broke.
 */
public record DataChannelStats(long reads, long bytes, long fallbacks) {}
