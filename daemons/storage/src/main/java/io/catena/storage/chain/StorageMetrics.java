package io.catena.storage.chain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-target I/O counters and latency histograms: {@code catena_storage_{read,write}_bytes_total}
 * and {@code catena_storage_{read,write}_seconds} (ops are the timer's count), tagged by target.
 */
public final class StorageMetrics {
  private final MeterRegistry registry;
  private final Map<Long, Meters> byTarget = new ConcurrentHashMap<>();

  private record Meters(Counter readBytes, Counter writeBytes, Timer read, Timer write) {}

  public StorageMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  void read(long targetId, long bytes, long nanos) {
    Meters m = meters(targetId);
    m.readBytes.increment(bytes);
    m.read.record(nanos, TimeUnit.NANOSECONDS);
  }

  void write(long targetId, long bytes, long nanos) {
    Meters m = meters(targetId);
    m.writeBytes.increment(bytes);
    m.write.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Cumulative I/O of one target since the daemon started (zeros when it served none). */
  public record Totals(long readBytes, long writeBytes, long readOps, long writeOps) {}

  public Totals totals(long targetId) {
    Meters m = byTarget.get(targetId);
    if (m == null) {
      return new Totals(0, 0, 0, 0);
    }
    return new Totals(
        (long) m.readBytes.count(), (long) m.writeBytes.count(), m.read.count(), m.write.count());
  }

  private Meters meters(long targetId) {
    return byTarget.computeIfAbsent(
        targetId,
        id -> {
          String t = Long.toString(id);
          return new Meters(
              Counter.builder("catena.storage.read.bytes").tag("target", t).register(registry),
              Counter.builder("catena.storage.write.bytes").tag("target", t).register(registry),
              Timer.builder("catena.storage.read")
                  .tag("target", t)
                  .publishPercentileHistogram()
                  .register(registry),
              Timer.builder("catena.storage.write")
                  .tag("target", t)
                  .publishPercentileHistogram()
                  .register(registry));
        });
  }
}
