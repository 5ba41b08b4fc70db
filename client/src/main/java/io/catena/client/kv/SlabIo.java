package io.catena.client.kv;

import io.catena.client.file.ChunkIds;
import io.catena.client.file.ChunkMapping;
import io.catena.client.file.ChunkPiece;
import io.catena.client.file.FileLayout;
import io.catena.client.storage.ChunkClient;
import io.catena.client.storage.ChunkRead;
import io.catena.client.storage.ChunkWrite;
import io.catena.protocol.kv.Location;
import io.catena.protocol.kv.Slab;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Value bytes in slab files, straight over chunk I/O: a location is split into chunk pieces by the
 * slab's layout and each piece reads into, or writes from, a slice of the caller's buffer (no copy,
 * no file handle, no meta call). Reads of one batch share BatchRead calls per storage daemon.
 */
final class SlabIo {

  private final ChunkClient chunks;

  SlabIo(ChunkClient chunks) {
    this.chunks = chunks;
  }

  static FileLayout layout(Slab slab) {
    var l = slab.getLayout();
    return new FileLayout(
        l.getChainTableId(),
        l.getChainTableVersion(),
        l.getChunkSize(),
        l.getStripeSize(),
        l.getChainIdsList());
  }

  /** Writes {@code src}'s remaining bytes (its position unmoved) to the location. */
  CompletableFuture<Void> write(Slab slab, Location at, ByteBuffer src) {
    FileLayout layout = layout(slab);
    int n = src.remaining();
    List<ChunkPiece> pieces = ChunkMapping.pieces(layout, at.getOffset(), n);
    List<CompletableFuture<?>> writes = new ArrayList<>(pieces.size());
    int base = src.position();
    for (ChunkPiece p : pieces) {
      writes.add(
          chunks.write(
              new ChunkWrite(
                  p.chainId(),
                  ChunkIds.of(slab.getInodeId(), p.chunkIndex()),
                  p.chunkOffset(),
                  src.slice(base + p.bufferOffset(), p.length()))));
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  /** A read of a whole value into {@code dst} from its position (which is not moved). */
  record Read(Slab slab, Location at, ByteBuffer dst) {}

  /** Starts the reads together; each future completes once its value's bytes are in place. */
  List<CompletableFuture<Void>> read(List<Read> reads) {
    List<ChunkRead> all = new ArrayList<>();
    List<int[]> spans = new ArrayList<>(reads.size());
    for (Read r : reads) {
      int n = (int) r.at().getLength();
      List<ChunkPiece> pieces = ChunkMapping.pieces(layout(r.slab()), r.at().getOffset(), n);
      spans.add(new int[] {all.size(), pieces.size()});
      int base = r.dst().position();
      for (ChunkPiece p : pieces) {
        all.add(
            new ChunkRead(
                p.chainId(),
                ChunkIds.of(r.slab().getInodeId(), p.chunkIndex()),
                p.chunkOffset(),
                p.length(),
                r.dst().slice(base + p.bufferOffset(), p.length())));
      }
    }
    List<CompletableFuture<Integer>> done = chunks.readBatch(all);
    List<CompletableFuture<Void>> out = new ArrayList<>(reads.size());
    for (int[] span : spans) {
      List<CompletableFuture<Integer>> mine = done.subList(span[0], span[0] + span[1]);
      List<ChunkRead> pieces = all.subList(span[0], span[0] + span[1]);
      out.add(
          CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new))
              .thenRun(
                  () -> {
                    // bytes a chunk does not hold read as zeros (the checksum then tells)
                    for (int k = 0; k < pieces.size(); k++) {
                      ByteBuffer dst = pieces.get(k).dst();
                      for (int i = Math.max(0, mine.get(k).join());
                          i < pieces.get(k).length();
                          i++) {
                        dst.put(i, (byte) 0);
                      }
                    }
                  }));
    }
    return out;
  }
}
