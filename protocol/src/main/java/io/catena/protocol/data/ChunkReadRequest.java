package io.catena.protocol.data;

import java.util.Objects;

/**
 * A read of committed chunk bytes over the data channel: the same fields as gRPC's {@code
 * ReadRequest}. {@code length} 0 reads to the end of the chunk.
 */
public record ChunkReadRequest(
    int chainId, long chainVersion, byte[] chunkId, int offset, int length, String token) {
  public ChunkReadRequest {
    Objects.requireNonNull(chunkId, "chunkId");
    token = token == null ? "" : token;
    if (chunkId.length < 1 || chunkId.length > ChunkDataWire.MAX_ID_BYTES) {
      throw new IllegalArgumentException("chunk id must be 1 to 64 bytes");
    }
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must not be negative");
    }
  }
}
