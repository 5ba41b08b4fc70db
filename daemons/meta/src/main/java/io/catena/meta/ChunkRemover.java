package io.catena.meta;

/**
 * Removes a file's chunks from storage; storage implements it (a gRPC client of its chunk-removal
 * call). Must be idempotent: the collector repeats a removal until it succeeds.
 */
@FunctionalInterface
public interface ChunkRemover {
  void remove(ChunkRemoval removal) throws Exception;
}
