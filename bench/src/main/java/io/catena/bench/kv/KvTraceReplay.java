package io.catena.bench.kv;

import io.catena.client.kv.KvClient;
import io.catena.client.kv.KvPut;
import io.catena.client.kv.KvPutStatus;
import io.catena.client.kv.KvValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a Mooncake trace against the KV API the way an engine with an L3 cache would: for each
 * request, {@code batchExists} of its blocks finds the leading run already stored, that run is read
 * back (batch get into reused buffers), and the rest is put as one batch, each block naming the
 * previous one as its prefix. Requests are paced by their timestamps divided by the time scale (0:
 * as fast as possible) and run one after another.
 */
public final class KvTraceReplay {

  public record Options(int bytesPerBlock, double timeScale, String keyPrefix) {
    public Options {
      if (bytesPerBlock < 1) {
        throw new IllegalArgumentException("bytes per block must be at least 1");
      }
      if (timeScale < 0) {
        throw new IllegalArgumentException("time scale cannot be negative");
      }
    }
  }

  /**
   * What a replay measured: block hit ratio (blocks found over blocks asked), bytes moved, wall
   * time, and latency percentiles in ms of the batch get and batch put of each request (requests
   * with nothing to get or put do not count for that operation).
   */
  public record Report(
      int requests,
      long blocks,
      long hitBlocks,
      long bytesRead,
      long bytesWritten,
      double seconds,
      double getP50Ms,
      double getP99Ms,
      double putP50Ms,
      double putP99Ms,
      long putsNotStored) {

    public double hitRatio() {
      return blocks == 0 ? 0 : (double) hitBlocks / blocks;
    }

    public double gbPerSecond() {
      return seconds == 0 ? 0 : (bytesRead + bytesWritten) / seconds / 1e9;
    }

    public double readGbPerSecond() {
      return seconds == 0 ? 0 : bytesRead / seconds / 1e9;
    }

    public double writeGbPerSecond() {
      return seconds == 0 ? 0 : bytesWritten / seconds / 1e9;
    }
  }

  private KvTraceReplay() {}

  static byte[] key(String prefix, long block) {
    return (prefix + block).getBytes(StandardCharsets.UTF_8);
  }

  public static Report run(KvClient kv, List<MooncakeTrace.Request> trace, Options options) {
    int size = options.bytesPerBlock();
    ByteBuffer value = ByteBuffer.allocateDirect(size);
    for (int i = 0; i < size; i++) {
      value.put(i, (byte) (i * 31 + 7));
    }
    List<ByteBuffer> readBuffers = new ArrayList<>();
    List<Double> gets = new ArrayList<>();
    List<Double> puts = new ArrayList<>();
    long blocks = 0;
    long hits = 0;
    long read = 0;
    long written = 0;
    long notStored = 0;
    long start = System.nanoTime();
    long firstTimestamp = trace.isEmpty() ? 0 : trace.getFirst().timestampMs();
    for (MooncakeTrace.Request request : trace) {
      if (options.timeScale() > 0) {
        long due =
            start + (long) ((request.timestampMs() - firstTimestamp) * 1e6 / options.timeScale());
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      List<byte[]> keys = new ArrayList<>(request.blocks().length);
      for (long b : request.blocks()) {
        keys.add(key(options.keyPrefix(), b));
      }
      blocks += keys.size();
      long t0 = System.nanoTime();
      int present = kv.batchExists(keys);
      if (present > 0) {
        while (readBuffers.size() < present) {
          readBuffers.add(ByteBuffer.allocateDirect(size));
        }
        List<KvValue> found = kv.locate(keys.subList(0, present), true);
        List<ByteBuffer> dsts = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
          dsts.add(readBuffers.get(i).clear());
        }
        int[] n = kv.read(found, dsts);
        int got = (int) Arrays.stream(n).filter(x -> x > 0).count();
        hits += got;
        read += Arrays.stream(n).filter(x -> x > 0).asLongStream().sum();
        gets.add((System.nanoTime() - t0) / 1e6);
      }
      if (present < keys.size()) {
        List<KvPut> batch = new ArrayList<>(keys.size() - present);
        for (int i = present; i < keys.size(); i++) {
          byte[] prev = i == 0 ? new byte[0] : keys.get(i - 1);
          batch.add(new KvPut(keys.get(i), value.duplicate(), prev, 0));
        }
        long t1 = System.nanoTime();
        List<KvPutStatus> statuses = kv.putBatch(batch, false);
        puts.add((System.nanoTime() - t1) / 1e6);
        for (KvPutStatus s : statuses) {
          if (s == KvPutStatus.STORED) {
            written += size;
          } else if (s != KvPutStatus.EXISTS) {
            notStored++;
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Report(
        trace.size(),
        blocks,
        hits,
        read,
        written,
        seconds,
        percentile(gets, 50),
        percentile(gets, 99),
        percentile(puts, 50),
        percentile(puts, 99),
        notStored);
  }

  /** The nearest-rank percentile; 0 for no samples. */
  static double percentile(List<Double> samples, double p) {
    if (samples.isEmpty()) {
      return 0;
    }
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
