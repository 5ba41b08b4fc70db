package io.catena.client;

import io.catena.client.file.CatenaFile;
import io.catena.client.file.FileIo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Many I/Os submitted at once, in the spirit of 3FS's USRBIO: the caller prepares reads and writes
 * into buffers it owns (direct buffers avoid a JVM-internal copy), {@link #submit} starts them all,
 * and each completes through its own future. Reads of the batch bound for the same storage daemon
 * share BatchRead calls. Payload bytes are not copied into intermediate buffers: writes are
 * serialised by gRPC straight from the caller's buffer, reads land in it from the received message
 * (docs/client.md lists the copies that remain). Buffers' positions and limits are not changed; a
 * buffer must not be touched until its future completed. A batch is used once.
 */
public final class IoBatch {

  private final FileIo io;
  private final List<FileIo.ReadOp> reads = new ArrayList<>();
  private final List<CompletableFuture<Integer>> readResults = new ArrayList<>();
  private final List<FileIo.WriteOp> writes = new ArrayList<>();
  private final List<CompletableFuture<Integer>> writeResults = new ArrayList<>();
  private boolean submitted;

  IoBatch(FileIo io) {
    this.io = io;
  }

  /**
   * Adds a read of {@code dst.remaining()} bytes at {@code offset}; the future gives the bytes read
   * (fewer at the end of the file) or -1 when {@code offset} is at or past the end.
   */
  public synchronized CompletableFuture<Integer> read(
      CatenaFile file, long offset, ByteBuffer dst) {
    requireOpen();
    reads.add(new FileIo.ReadOp(file, offset, dst));
    CompletableFuture<Integer> f = new CompletableFuture<>();
    readResults.add(f);
    return f;
  }

  /**
   * Adds a write of {@code src.remaining()} bytes at {@code offset}; the future gives the count.
   */
  public synchronized CompletableFuture<Integer> write(
      CatenaFile file, long offset, ByteBuffer src) {
    requireOpen();
    writes.add(new FileIo.WriteOp(file, offset, src));
    CompletableFuture<Integer> f = new CompletableFuture<>();
    writeResults.add(f);
    return f;
  }

  public synchronized int size() {
    return reads.size() + writes.size();
  }

  /** Starts every I/O; completes when all completed (exceptionally if any failed). */
  public synchronized CompletableFuture<Void> submit() {
    requireOpen();
    submitted = true;
    List<CompletableFuture<Integer>> all = new ArrayList<>(size());
    for (int i = 0; i < writes.size(); i++) {
      CompletableFuture<Integer> started;
      try {
        started = io.write(writes.get(i));
      } catch (RuntimeException e) {
        started = CompletableFuture.failedFuture(e);
      }
      forward(started, writeResults.get(i));
      all.add(writeResults.get(i));
    }
    if (!reads.isEmpty()) {
      List<CompletableFuture<Integer>> started;
      try {
        started = io.read(reads);
      } catch (RuntimeException e) {
        started = reads.stream().map(r -> CompletableFuture.<Integer>failedFuture(e)).toList();
      }
      for (int i = 0; i < reads.size(); i++) {
        forward(started.get(i), readResults.get(i));
        all.add(readResults.get(i));
      }
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  private void requireOpen() {
    if (submitted) {
      throw new IllegalStateException("this batch was submitted; start a new one");
    }
  }

  private static void forward(CompletableFuture<Integer> from, CompletableFuture<Integer> to) {
    from.whenComplete(
        (v, e) -> {
          if (e != null) {
            to.completeExceptionally(FileIoErrors.unwrap(e));
          } else {
            to.complete(v);
          }
        });
  }
}
