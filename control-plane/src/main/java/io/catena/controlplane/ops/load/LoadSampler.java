package io.catena.controlplane.ops.load;

import io.catena.controlplane.ops.LoadWindow;
import io.catena.controlplane.ops.cluster.ClusterSnapshot;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.DaemonKind;
import io.catena.protocol.mgmtd.DaemonStatus;
import io.catena.protocol.security.TransportSecurity;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.TargetStat;
import io.catena.protocol.storage.TargetStatsRequest;
import io.catena.protocol.storage.TargetStatsResponse;
import io.catena.topology.NodeId;
import io.catena.topology.TargetId;
import io.catena.topology.hotspot.TargetLoadSample;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every live storage daemon's TargetStats (cumulative read/write bytes and operations per
 * target) at a fixed interval and keeps an hour of samples, so that load over the 1m, 5m, 15m and
 * 1h windows is the difference between the newest sample and the oldest one inside the window. A
 * counter that went down (its daemon restarted) counts from zero.
 */
public final class LoadSampler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LoadSampler.class);
  private static final long KEEP_MS = Duration.ofMinutes(65).toMillis();

  /** Counters of one target at one sample. */
  record Counters(long readBytes, long writeBytes, long readOps, long writeOps) {}

  /** Every target's counters at one moment. */
  record Sample(long atMs, Map<TargetId, Counters> targets) {}

  /** Cluster throughput between two samples. */
  public record ThroughputPoint(long atMs, double readBytesPerSecond, double writeBytesPerSecond) {}

  /** Load per target over a window, and the span the samples actually cover. */
  public record WindowLoad(List<TargetLoadSample> samples, Duration span) {}

  private final Supplier<ClusterSnapshot> cluster;
  private final Clock clock;
  private final Deque<Sample> history = new ArrayDeque<>();
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private ScheduledExecutorService scheduler;

  private final TransportSecurity transport;

  public LoadSampler(Supplier<ClusterSnapshot> cluster, Clock clock) {
    this(cluster, clock, TransportSecurity.plaintext());
  }

  public LoadSampler(Supplier<ClusterSnapshot> cluster, Clock clock, TransportSecurity transport) {
    this.transport = transport;
    this.cluster = cluster;
    this.clock = clock;
  }

  /** Samples every {@code interval} in the background until closed. */
  public synchronized LoadSampler start(Duration interval) {
    if (scheduler == null) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("load-sampler").unstarted(r));
      scheduler.scheduleWithFixedDelay(
          this::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  private void sampleQuietly() {
    try {
      sampleOnce();
    } catch (RuntimeException e) {
      log.debug("load sample skipped: {}", e.getMessage());
    }
  }

  /** Takes one sample now. */
  public void sampleOnce() {
    ClusterSnapshot snap = cluster.get();
    Map<TargetId, Counters> targets = new HashMap<>();
    for (DaemonInfo d : snap.daemons()) {
      if (d.getKind() != DaemonKind.STORAGE
          || d.getStatus() != DaemonStatus.CONNECTED
          || !d.hasNodeId()) {
        continue;
      }
      Optional<String> address = snap.address(NodeId.of(d.getNodeId()));
      if (address.isEmpty()) {
        continue;
      }
      try {
        TargetStatsResponse r =
            StorageServiceGrpc.newBlockingStub(channel(address.get()))
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .targetStats(TargetStatsRequest.getDefaultInstance());
        for (TargetStat t : r.getTargetsList()) {
          targets.put(
              TargetId.of(t.getTargetId()),
              new Counters(t.getReadBytes(), t.getWriteBytes(), t.getReadOps(), t.getWriteOps()));
        }
      } catch (StatusRuntimeException e) {
        log.debug("no TargetStats from {}: {}", address.get(), e.getStatus());
      }
    }
    record(new Sample(clock.millis(), targets));
  }

  synchronized void record(Sample sample) {
    history.addLast(sample);
    while (!history.isEmpty() && history.peekFirst().atMs() < sample.atMs() - KEEP_MS) {
      history.removeFirst();
    }
  }

  /** Each target's load over the window (targets now known to the cluster only). */
  public synchronized WindowLoad window(LoadWindow window, java.util.Set<TargetId> known) {
    if (history.size() < 2) {
      return new WindowLoad(List.of(), Duration.ZERO);
    }
    Sample newest = history.peekLast();
    Sample oldest = oldestWithin(window, newest.atMs());
    List<TargetLoadSample> out = new ArrayList<>();
    for (Map.Entry<TargetId, Counters> e : newest.targets().entrySet()) {
      if (!known.contains(e.getKey())) {
        continue;
      }
      Counters now = e.getValue();
      Counters then = oldest.targets().getOrDefault(e.getKey(), new Counters(0, 0, 0, 0));
      out.add(
          new TargetLoadSample(
              e.getKey(),
              delta(now.readBytes(), then.readBytes()),
              delta(now.writeBytes(), then.writeBytes()),
              delta(now.readOps(), then.readOps()),
              delta(now.writeOps(), then.writeOps()),
              0));
    }
    return new WindowLoad(out, Duration.ofMillis(Math.max(1, newest.atMs() - oldest.atMs())));
  }

  /** Cluster read and write rates between consecutive samples inside the window. */
  public synchronized List<ThroughputPoint> throughput(LoadWindow window) {
    List<ThroughputPoint> points = new ArrayList<>();
    if (history.isEmpty()) {
      return points;
    }
    long from = history.peekLast().atMs() - window.length().toMillis();
    Sample previous = null;
    for (Sample s : history) {
      if (previous != null && s.atMs() >= from) {
        double seconds = Math.max(1, s.atMs() - previous.atMs()) / 1000.0;
        long read = 0;
        long write = 0;
        for (Map.Entry<TargetId, Counters> e : s.targets().entrySet()) {
          Counters before = previous.targets().getOrDefault(e.getKey(), new Counters(0, 0, 0, 0));
          read += delta(e.getValue().readBytes(), before.readBytes());
          write += delta(e.getValue().writeBytes(), before.writeBytes());
        }
        points.add(new ThroughputPoint(s.atMs(), read / seconds, write / seconds));
      }
      previous = s;
    }
    return points;
  }

  private Sample oldestWithin(LoadWindow window, long newestMs) {
    long from = newestMs - window.length().toMillis();
    for (Sample s : history) {
      if (s.atMs() >= from) {
        return s == history.peekLast() ? history.peekFirst() : s;
      }
    }
    return history.peekFirst();
  }

  private static long delta(long now, long then) {
    return now >= then ? now - then : now;
  }

  private ManagedChannel channel(String address) {
    return channels.computeIfAbsent(
        address, a -> Grpc.newChannelBuilder(a, transport.channelCredentials(a)).build());
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
