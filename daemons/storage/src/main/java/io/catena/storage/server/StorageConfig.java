package io.catena.storage.server;

import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.chunk.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A storage daemon's settings.
 *
 * @param nodeId this daemon's node id
 * @param host address to bind (and to advertise in routing)
 * @param port gRPC port, 0 for an ephemeral one
 * @param metricsPort Prometheus HTTP port, 0 for an ephemeral one, -1 for none
 * @param targets the targets served from the start
 * @param engine chunk engine settings, shared by all targets
 * @param forwardTimeout how long a replica keeps retrying to reach its successor
 * @param portFile when set, "grpcPort metricsPort" is written there once listening
 */
public record StorageConfig(
    int nodeId,
    String host,
    int port,
    int metricsPort,
    List<TargetConfig> targets,
    EngineConfig engine,
    Duration forwardTimeout,
    Path portFile) {
  public StorageConfig {
    targets = List.copyOf(targets);
    if (nodeId <= 0) {
      throw new IllegalArgumentException("--node-id must be positive");
    }
    if (port < 0 || port > 65535 || metricsPort < -1 || metricsPort > 65535) {
      throw new IllegalArgumentException("ports must be in 0..65535 (metrics: -1 for none)");
    }
  }

  public static StorageConfig loopback(int nodeId, List<TargetConfig> targets, EngineConfig e) {
    return new StorageConfig(nodeId, "127.0.0.1", 0, -1, targets, e, Duration.ofSeconds(20), null);
  }

  public StorageConfig withForwardTimeout(Duration timeout) {
    return new StorageConfig(nodeId, host, port, metricsPort, targets, engine, timeout, portFile);
  }

  public StorageConfig withMetricsPort(int p) {
    return new StorageConfig(nodeId, host, port, p, targets, engine, forwardTimeout, portFile);
  }

  public StorageConfig withPort(int p) {
    return new StorageConfig(
        nodeId, host, p, metricsPort, targets, engine, forwardTimeout, portFile);
  }

  public static final String USAGE =
      "storage daemon options: --node-id N --target ID:CHAIN:DIR (repeatable) [--host H]"
          + " [--port P] [--metrics-port P|-1] [--fsync always|never] [--capacity BYTES]"
          + " [--forward-timeout-ms MS] [--port-file PATH]";

  /** Parses daemon arguments ({@code --name value} or {@code --name=value}). */
  public static StorageConfig parse(String[] args) {
    int nodeId = 0;
    String host = "127.0.0.1";
    int port = 0;
    int metricsPort = 0;
    List<TargetConfig> targets = new ArrayList<>();
    FsyncPolicy fsync = FsyncPolicy.ALWAYS;
    long capacity = 0;
    Duration forward = Duration.ofSeconds(20);
    Path portFile = null;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value;
      int eq = name.indexOf('=');
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(name + " needs a value; " + USAGE);
      }
      try {
        switch (name) {
          case "--node-id" -> nodeId = Integer.parseInt(value);
          case "--host" -> host = value;
          case "--port" -> port = Integer.parseInt(value);
          case "--metrics-port" -> metricsPort = Integer.parseInt(value);
          case "--target" -> targets.add(TargetConfig.parse(value));
          case "--fsync" -> fsync = FsyncPolicy.valueOf(value.toUpperCase(Locale.ROOT));
          case "--capacity" -> capacity = Long.parseLong(value);
          case "--forward-timeout-ms" -> forward = Duration.ofMillis(Long.parseLong(value));
          case "--port-file" -> portFile = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
      }
    }
    EngineConfig engine = EngineConfig.defaults().withFsync(fsync).withCapacity(capacity);
    return new StorageConfig(nodeId, host, port, metricsPort, targets, engine, forward, portFile);
  }
}
