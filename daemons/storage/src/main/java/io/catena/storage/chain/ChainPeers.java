package io.catena.storage.chain;

import java.util.List;

/**
 * Calls to other storage daemons of a chain, by address. Failures are {@code StorageException}s; an
 * unreachable peer is {@code UNAVAILABLE}.
 */
public interface ChainPeers extends AutoCloseable {
  UpdateOutcome update(String address, UpdateCommand command);

  void syncStart(String address, int chainId, long chainVersion, long targetId);

  List<ChunkSummary> syncDump(String address, int chainId, long chainVersion, long targetId);

  void syncDone(String address, int chainId, long chainVersion, long targetId);

  @Override
  void close();
}
