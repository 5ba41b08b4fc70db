package io.catena.storage.mgmtd;

import io.catena.protocol.mgmtd.DaemonKind;
import io.catena.protocol.mgmtd.HeartbeatRequest;
import io.catena.protocol.mgmtd.HeartbeatResponse;
import io.catena.protocol.mgmtd.LocalState;
import io.catena.protocol.mgmtd.LocalTargetReport;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.storage.chain.LocalTargetState;
import io.catena.storage.chain.TargetStateReporter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage daemon's heartbeat to mgmtd: every interval (mgmtd says how long) and at once whenever
 * a target's local state changes, it reports each target's local state and used bytes.
 */
public final class MgmtdHeartbeater implements TargetStateReporter, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MgmtdHeartbeater.class);

  private final String daemonId;
  private final int nodeId;
  private final Map<Long, Reported> states = new ConcurrentHashMap<>();
  private final Semaphore wake = new Semaphore(0);
  private volatile Supplier<String> address = () -> "";
  private volatile Supplier<String> dataAddress = () -> "";
  private volatile LongUnaryOperator usedBytes = t -> 0;
  private volatile Duration interval = Duration.ofSeconds(1);
  private volatile boolean running;
  private Thread loop;

  public MgmtdHeartbeater(String daemonId, int nodeId) {
    this.daemonId = daemonId;
    this.nodeId = nodeId;
  }

  /** Starts heartbeating; {@code address} is the storage service's host:port. No data channel. */
  public void start(MgmtdClient mgmtd, Supplier<String> address, LongUnaryOperator usedBytes) {
    start(mgmtd, address, () -> "", usedBytes);
  }

  /**
   * Starts heartbeating; {@code address} is the storage service's host:port, {@code dataAddress}
   * its data channel's (empty when it has none): mgmtd publishes both in the routing info, and
   * clients read large ranges over the data channel.
   */
  public void start(
      MgmtdClient mgmtd,
      Supplier<String> address,
      Supplier<String> dataAddress,
      LongUnaryOperator usedBytes) {
    this.address = address;
    this.dataAddress = dataAddress;
    this.usedBytes = usedBytes;
    running = true;
    loop = Thread.ofPlatform().daemon().name("mgmtd-heartbeat").start(() -> run(mgmtd));
  }

  /** A target's local state and the chain version it was decided against. */
  private record Reported(LocalTargetState state, long chainVersion) {}

  /** Reports at once when the state changed; a new chain version alone waits for the next beat. */
  @Override
  public void localStateChanged(
      long targetId, int chainId, LocalTargetState state, long chainVersion) {
    Reported before = states.put(targetId, new Reported(state, chainVersion));
    if (before == null || before.state() != state) {
      wake.release();
    }
  }

  @Override
  public void syncDone(long targetId, int chainId) {
    wake.release();
  }

  /** Stops reporting a removed target. */
  public void forget(long targetId) {
    states.remove(targetId);
    wake.release();
  }

  HeartbeatRequest request() {
    HeartbeatRequest.Builder b =
        HeartbeatRequest.newBuilder()
            .setDaemonId(daemonId)
            .setKind(DaemonKind.STORAGE)
            .setAddress(address.get())
            .setDataAddress(dataAddress.get())
            .setNodeId(nodeId);
    states.forEach(
        (target, reported) ->
            b.addTargets(
                LocalTargetReport.newBuilder()
                    .setTargetId(target)
                    .setLocalState(wire(reported.state()))
                    .setChainVersion(reported.chainVersion())
                    .setUsedBytes(usedBytes.applyAsLong(target))));
    return b.build();
  }

  private void run(MgmtdClient mgmtd) {
    while (running) {
      try {
        HeartbeatResponse response = mgmtd.heartbeat(request());
        if (response.hasError()) {
          log.warn("mgmtd refused the heartbeat: {}", response.getError().getMessage());
        } else if (response.getHeartbeatIntervalMs() > 0) {
          interval = Duration.ofMillis(response.getHeartbeatIntervalMs());
        }
      } catch (RuntimeException e) {
        log.warn("heartbeat to mgmtd failed: {}", e.getMessage());
      }
      try {
        if (wake.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static LocalState wire(LocalTargetState state) {
    return switch (state) {
      case UPTODATE -> LocalState.UPTODATE;
      case ONLINE -> LocalState.ONLINE;
      case OFFLINE -> LocalState.LOCAL_OFFLINE;
    };
  }

  @Override
  public void close() {
    running = false;
    if (loop != null) {
      loop.interrupt();
    }
  }
}
