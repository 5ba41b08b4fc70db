package io.catena.client.file;

import java.util.ArrayList;
import java.util.List;

/** Pure: splits a file range into per-chunk pieces by the file's layout. */
public final class ChunkMapping {

  /** Chunk indexes travel as 4 unsigned bytes in chunk ids. */
  public static final long MAX_CHUNKS = 1L << 32;

  private ChunkMapping() {}

  /** The pieces of {@code [offset, offset + length)}, in file order. */
  public static List<ChunkPiece> pieces(FileLayout layout, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
    }
    long chunkSize = layout.chunkSize();
    long end = offset + length;
    if (length > 0 && (end - 1) / chunkSize >= MAX_CHUNKS) {
      throw new IllegalArgumentException(
          "range ends at " + end + ", past the largest file (" + MAX_CHUNKS + " chunks)");
    }
    List<ChunkPiece> pieces = new ArrayList<>((int) (length / chunkSize) + 2);
    long at = offset;
    while (at < end) {
      long index = at / chunkSize;
      int inChunk = (int) (at - index * chunkSize);
      int n = (int) Math.min(chunkSize - inChunk, end - at);
      pieces.add(
          new ChunkPiece(index, layout.chainOfChunk(index), inChunk, n, (int) (at - offset)));
      at += n;
    }
    return pieces;
  }
}
