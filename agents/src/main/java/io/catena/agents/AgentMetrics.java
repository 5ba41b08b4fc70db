package io.catena.agents;

import com.sun.net.httpserver.HttpServer;
import io.catena.protocol.agent.Disk;
import io.catena.protocol.agent.NodeFacts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus metrics: per daemon up, flapping, health, restarts and uptime; node CPUs,
 * memory and per-disk space. Served on HTTP {@code /metrics} and by the Metrics RPC.
 */
public final class AgentMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DaemonSupervisor supervisor;
  private final NodeFactsCollector facts;
  private final MultiGauge up;
  private final MultiGauge flapping;
  private final MultiGauge healthy;
  private final MultiGauge restarts;
  private final MultiGauge uptime;
  private final MultiGauge diskFree;
  private final MultiGauge diskTotal;
  private HttpServer http;

  public AgentMetrics(DaemonSupervisor supervisor, NodeFactsCollector facts) {
    this.supervisor = supervisor;
    this.facts = facts;
    up = gauge("catena.agent.daemon.up", "1 when the daemon's process runs", null);
    flapping =
        gauge("catena.agent.daemon.flapping", "1 when the daemon is held back as flapping", null);
    healthy =
        gauge(
            "catena.agent.daemon.healthy", "1 healthy, 0 unhealthy, -1 unknown (last probe)", null);
    restarts =
        gauge("catena.agent.daemon.restarts", "automatic restarts after crashes (persisted)", null);
    uptime = gauge("catena.agent.daemon.uptime", "seconds since the process started", "seconds");
    diskFree = gauge("catena.agent.disk.free", "usable bytes on a disk", "bytes");
    diskTotal = gauge("catena.agent.disk.total", "size of a disk", "bytes");
    NodeFacts node = facts.collect();
    Gauge.builder("catena.agent.node.cpus", node, NodeFacts::getCpus)
        .description("CPUs available to the agent")
        .register(registry);
    Gauge.builder("catena.agent.node.memory", node, n -> (double) n.getMemoryBytes())
        .description("memory of the node")
        .baseUnit("bytes")
        .register(registry);
  }

  private MultiGauge gauge(String name, String description, String unit) {
    MultiGauge.Builder builder = MultiGauge.builder(name).description(description);
    if (unit != null) {
      builder.baseUnit(unit);
    }
    return builder.register(registry);
  }

  /** The current Prometheus text exposition. */
  public synchronized String scrape() {
    List<DaemonSnapshot> daemons = supervisor.snapshots();
    up.register(rows(daemons, d -> d.state() == SupervisedDaemon.State.RUNNING ? 1 : 0), true);
    flapping.register(
        rows(daemons, d -> d.state() == SupervisedDaemon.State.FLAPPING ? 1 : 0), true);
    healthy.register(
        rows(
            daemons,
            d ->
                switch (d.health().health()) {
                  case HEALTHY -> 1;
                  case UNHEALTHY -> 0;
                  case UNKNOWN -> -1;
                }),
        true);
    restarts.register(rows(daemons, DaemonSnapshot::restartCount), true);
    uptime.register(rows(daemons, d -> d.uptime().toMillis() / 1000.0), true);
    List<Disk> disks = facts.disks();
    diskFree.register(diskRows(disks, Disk::getFreeBytes), true);
    diskTotal.register(diskRows(disks, Disk::getTotalBytes), true);
    return registry.scrape();
  }

  private static List<MultiGauge.Row<?>> rows(
      List<DaemonSnapshot> daemons, ToDoubleFunction<DaemonSnapshot> value) {
    return daemons.stream()
        .<MultiGauge.Row<?>>map(
            d ->
                MultiGauge.Row.of(
                    Tags.of("daemon", d.name(), "kind", LaunchPlan.kindWord(d.kind())),
                    value.applyAsDouble(d)))
        .toList();
  }

  private static List<MultiGauge.Row<?>> diskRows(List<Disk> disks, ToDoubleFunction<Disk> value) {
    return disks.stream()
        .<MultiGauge.Row<?>>map(
            d ->
                MultiGauge.Row.of(
                    Tags.of("mount_point", d.getMountPoint()), value.applyAsDouble(d)))
        .toList();
  }

  /** Serves {@code GET /metrics} on host:port (0: any free port); returns the bound port. */
  public int serveHttp(String host, int port) throws IOException {
    http = HttpServer.create(new InetSocketAddress(host, port), 16);
    http.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    http.start();
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
    }
    registry.close();
  }
}
