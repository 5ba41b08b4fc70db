package io.catena.client.file;

import io.catena.client.CatenaException;
import io.catena.client.ClientErrorCode;
import io.catena.client.storage.ChunkClient;
import io.catena.client.storage.ChunkRead;
import io.catena.client.storage.ChunkWrite;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * File reads and writes over chunk I/O: splits ranges by the layout, reads of one submission share
 * BatchRead calls per storage daemon, holes and bytes past a chunk's end read as zeros. Buffers are
 * used in place: each chunk piece is a slice of the caller's buffer.
 */
public final class FileIo {

  private final ChunkClient chunks;

  public FileIo(ChunkClient chunks) {
    this.chunks = chunks;
  }

  /** A read of {@code dst}'s remaining bytes at {@code offset} of {@code file}. */
  public record ReadOp(CatenaFile file, long offset, ByteBuffer dst) {}

  /** A write of {@code src}'s remaining bytes at {@code offset} of {@code file}. */
  public record WriteOp(CatenaFile file, long offset, ByteBuffer src) {}

  /**
   * Starts reads together; each future completes with the bytes read (fewer at the end of the file)
   * or -1 when the read starts at or past the end. Buffers' positions are not moved.
   */
  public List<CompletableFuture<Integer>> read(List<ReadOp> ops) {
    List<ChunkRead> all = new ArrayList<>();
    List<int[]> spans = new ArrayList<>(ops.size());
    List<List<ChunkPiece>> plans = new ArrayList<>(ops.size());
    List<Integer> sizes = new ArrayList<>(ops.size());
    List<RuntimeException> refused = new ArrayList<>(ops.size());
    for (ReadOp op : ops) {
      List<ChunkPiece> pieces;
      long available = op.file().length() - op.offset();
      int n = (int) Math.max(0, Math.min(op.dst().remaining(), available));
      try {
        op.file().requireOpen();
        pieces = ChunkMapping.pieces(op.file().layout(), op.offset(), n);
        refused.add(null);
      } catch (RuntimeException e) {
        // This read fails alone; the others of the submission go ahead.
        pieces = List.of();
        refused.add(
            e instanceof CatenaException
                ? e
                : new CatenaException(ClientErrorCode.INVALID_ARGUMENT, e.getMessage()));
      }
      spans.add(new int[] {all.size(), pieces.size()});
      plans.add(pieces);
      sizes.add(op.dst().remaining() == 0 ? 0 : available <= 0 ? -1 : n);
      int base = op.dst().position();
      for (ChunkPiece p : pieces) {
        all.add(
            new ChunkRead(
                p.chainId(),
                ChunkIds.of(op.file().inodeId(), p.chunkIndex()),
                p.chunkOffset(),
                p.length(),
                op.dst().slice(base + p.bufferOffset(), p.length())));
      }
    }
    List<CompletableFuture<Integer>> pieceResults = chunks.readBatch(all);
    List<CompletableFuture<Integer>> results = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      int first = spans.get(i)[0];
      int count = spans.get(i)[1];
      List<CompletableFuture<Integer>> mine = pieceResults.subList(first, first + count);
      List<ChunkRead> reads = all.subList(first, first + count);
      int size = sizes.get(i);
      if (refused.get(i) != null) {
        results.add(CompletableFuture.failedFuture(refused.get(i)));
        continue;
      }
      results.add(
          CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new))
              .thenApply(
                  done -> {
                    for (int k = 0; k < count; k++) {
                      zeroFill(reads.get(k), Math.max(0, mine.get(k).join()));
                    }
                    return size;
                  }));
    }
    return results;
  }

  private static void zeroFill(ChunkRead read, int from) {
    ByteBuffer dst = read.dst();
    for (int i = from; i < read.length(); i++) {
      dst.put(i, (byte) 0);
    }
  }

  /**
   * Starts a write; it completes with the bytes written once every chunk piece is committed on
   * every replica of its chain. The buffer must not change until then; its position is not moved.
   */
  public CompletableFuture<Integer> write(WriteOp op) {
    CatenaFile file = op.file();
    file.requireWritable();
    int n = op.src().remaining();
    if (n == 0) {
      return CompletableFuture.completedFuture(0);
    }
    List<ChunkPiece> pieces = ChunkMapping.pieces(file.layout(), op.offset(), n);
    List<CompletableFuture<?>> writes = new ArrayList<>(pieces.size());
    int base = op.src().position();
    for (ChunkPiece p : pieces) {
      writes.add(
          chunks.write(
              new ChunkWrite(
                  p.chainId(),
                  ChunkIds.of(file.inodeId(), p.chunkIndex()),
                  p.chunkOffset(),
                  op.src().slice(base + p.bufferOffset(), p.length()))));
    }
    long end = op.offset() + n;
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              file.wrote(end);
              return n;
            });
  }

  static CatenaException unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CatenaException ce) {
      return ce;
    }
    return new CatenaException(ClientErrorCode.INTERNAL, String.valueOf(cause), cause);
  }
}
