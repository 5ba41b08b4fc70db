package io.catena.meta;

/**
 * Chunks of one file to remove from storage: every byte at or past {@code keepLength} goes (the
 * chunk holding {@code keepLength} is cut to it, later chunks are removed) up to {@code
 * knownLength}, the largest length meta recorded. {@code keepLength == 0} removes the whole file.
 * Chunks past {@code knownLength} (a writer that died before closing) may exist too: storage should
 * remove whatever it holds for the file past {@code keepLength}.
 */
public record ChunkRemoval(
    long tenantId, long inodeId, FileLayout layout, long keepLength, long knownLength) {

  /** Index of the first chunk to remove entirely. */
  public long firstRemovedChunk() {
    return layout.chunkCount(keepLength);
  }

  /** One past the last chunk meta knows of. */
  public long endChunk() {
    return Math.max(layout.chunkCount(knownLength), firstRemovedChunk());
  }

  public boolean removesFile() {
    return keepLength == 0;
  }
}
