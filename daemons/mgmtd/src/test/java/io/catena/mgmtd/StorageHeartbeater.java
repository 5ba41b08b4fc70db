package io.catena.mgmtd;

import io.catena.protocol.mgmtd.DaemonKind;
import io.catena.protocol.mgmtd.HeartbeatRequest;
import io.catena.protocol.mgmtd.LocalState;
import io.catena.protocol.mgmtd.LocalTargetReport;
import io.catena.protocol.routing.MgmtdClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Stands in for a storage daemon's heartbeat loop: reports its targets UPTODATE until stopped. */
final class StorageHeartbeater implements AutoCloseable {
  private final Thread thread;
  private final AtomicInteger acknowledged = new AtomicInteger();
  private volatile boolean running = true;

  StorageHeartbeater(MgmtdClient client, int node, List<Long> targets, Duration interval) {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("heartbeat-" + node)
            .start(
                () -> {
                  while (running) {
                    try {
                      if (!client.heartbeat(request(client, node, targets)).hasError()) {
                        acknowledged.incrementAndGet();
                      }
                      Thread.sleep(interval);
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      // mgmtd unreachable for longer than the client's failover timeout: go on
                    }
                  }
                });
  }

  /**
   * Each target UPTODATE at its chain's current version, as a daemon reports once it follows
   * routing and its targets are synced (mgmtd ignores an UPTODATE decided at an older version).
   */
  private static HeartbeatRequest request(MgmtdClient client, int node, List<Long> targets) {
    Map<Long, Long> versions = new HashMap<>();
    client
        .routingInfo(0)
        .ifPresent(
            routing ->
                routing
                    .getChainsList()
                    .forEach(
                        c ->
                            c.getMembersList()
                                .forEach(m -> versions.put(m.getTargetId(), c.getVersion()))));
    HeartbeatRequest.Builder b =
        HeartbeatRequest.newBuilder()
            .setDaemonId("storage-" + node)
            .setKind(DaemonKind.STORAGE)
            .setAddress("127.0.0.1:" + (9000 + node))
            .setNodeId(node);
    targets.forEach(
        t ->
            b.addTargets(
                LocalTargetReport.newBuilder()
                    .setTargetId(t)
                    .setLocalState(LocalState.UPTODATE)
                    .setChainVersion(versions.getOrDefault(t, 0L))));
    return b.build();
  }

  int acknowledged() {
    return acknowledged.get();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(10_000);
  }
}
