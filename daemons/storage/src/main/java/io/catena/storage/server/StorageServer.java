package io.catena.storage.server;

import io.catena.protocol.grpc.AliasingMarshallers;
import io.catena.protocol.security.TransportSecurity;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.StorageErrorCode;
import io.catena.storage.StorageException;
import io.catena.storage.chain.ChainReplicator;
import io.catena.storage.chain.LocalTargetState;
import io.catena.storage.chain.RoutingSource;
import io.catena.storage.chain.StaticRoutingSource;
import io.catena.storage.chain.StorageMetrics;
import io.catena.storage.chain.StorageTarget;
import io.catena.storage.chain.TargetStateReporter;
import io.catena.storage.chunk.ChunkEngine;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One storage daemon: its targets, the replicator, the gRPC services and the metrics endpoint.
 * Several can run in one JVM (tests, benchmarks); {@link StorageDaemon} runs one as a process.
 */
public final class StorageServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StorageServer.class);

  private final StorageConfig config;
  private final RoutingSource routing;
  private final PrometheusMeterRegistry registry;
  private final GrpcChainPeers peers;
  private final ChainReplicator replicator;
  private final Server grpc;
  private final MetricsEndpoint metrics;
  private final ChunkDataServer data;
  private final int port;

  private StorageServer(
      StorageConfig config,
      RoutingSource routing,
      TargetStateReporter reporter,
      RequestAuthorizer authorizer,
      TransportSecurity transport)
      throws IOException {
    this.config = config;
    this.routing = routing;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.peers = new GrpcChainPeers(config.forwardTimeout().plusSeconds(10), transport);
    this.replicator =
        new ChainReplicator(
            routing,
            peers,
            reporter,
            authorizer,
            new StorageMetrics(registry),
            config.forwardTimeout());
    for (TargetConfig t : config.targets()) {
      openTarget(t, false);
    }
    this.grpc =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(config.host(), config.port()),
                transport.serverCredentials(config.host()))
            .maxInboundMessageSize(GrpcChainPeers.MAX_MESSAGE_BYTES)
            .flowControlWindow(GrpcChainPeers.FLOW_CONTROL_WINDOW)
            .addService(
                ServerInterceptors.intercept(
                    AliasingMarshallers.aliasing(
                        new StorageService(replicator, config.nodeId()).bindService()),
                    StorageCallers.RULES))
            .addService(
                ServerInterceptors.intercept(new StorageAdminService(this), StorageCallers.RULES))
            .build()
            .start();
    this.port = grpc.getPort();
    this.data =
        new ChunkDataServer(
            replicator, config.host(), 0, config.forwardTimeout().plusSeconds(40), transport);
    this.metrics =
        config.metricsPort() >= 0
            ? new MetricsEndpoint(config.host(), config.metricsPort(), registry)
            : null;
  }

  /** Starts a daemon; routing comes from {@code routing} (ApplyRouting works on a static one). */
  public static StorageServer start(
      StorageConfig config,
      RoutingSource routing,
      TargetStateReporter reporter,
      RequestAuthorizer authorizer) {
    return start(config, routing, reporter, authorizer, TransportSecurity.plaintext());
  }

  /** {@link #start}, serving and dialling peers with {@code transport}. */
  public static StorageServer start(
      StorageConfig config,
      RoutingSource routing,
      TargetStateReporter reporter,
      RequestAuthorizer authorizer,
      TransportSecurity transport) {
    try {
      StorageServer server = new StorageServer(config, routing, reporter, authorizer, transport);
      server.writePortFile();
      log.info(
          "storage node {} listening on {} (metrics port {})",
          config.nodeId(),
          server.address(),
          server.metricsPort());
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writePortFile() throws IOException {
    if (config.portFile() == null) {
      return;
    }
    Path tmp = config.portFile().resolveSibling(config.portFile().getFileName() + ".tmp");
    Files.writeString(tmp, port() + " " + metricsPort() + " " + dataPort() + "\n");
    Files.move(tmp, config.portFile(), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Opens a configured target. A directory that already holds it is reopened fenced (local OFFLINE
   * until routing shows mgmtd noticed the restart). A new one configured at start-up starts
   * UPTODATE (empty, as a freshly created chain is); one created later through the admin API joins
   * an existing chain and starts ONLINE, so that it reports UPTODATE only after its sync: were it
   * UPTODATE at once, mgmtd would take its first report for a finished sync and make it SERVING
   * with none of the chain's data.
   */
  private void openTarget(TargetConfig c, boolean mustBeNew) {
    boolean existed = TargetDirectory.exists(c);
    if (existed && mustBeNew) {
      throw new StorageException(
          StorageErrorCode.INVALID_ARGUMENT,
          "target " + c.targetId() + " already exists in " + c.directory());
    }
    if (!existed) {
      TargetDirectory.create(c);
    }
    ChunkEngine engine = ChunkEngine.open(c.directory(), config.engine());
    StorageTarget target =
        new StorageTarget(
            c.targetId(),
            c.chainId(),
            c.directory(),
            engine,
            existed
                ? LocalTargetState.OFFLINE
                : mustBeNew ? LocalTargetState.ONLINE : LocalTargetState.UPTODATE);
    try {
      replicator.addTarget(target);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** Creates and serves a new target; refused when it is served or its directory holds one. */
  public synchronized void createTarget(TargetConfig c) {
    if (replicator.target(c.targetId()).isPresent()) {
      throw new StorageException(
          StorageErrorCode.INVALID_ARGUMENT, "target " + c.targetId() + " is already served");
    }
    openTarget(c, true);
  }

  synchronized void removeTarget(long targetId) {
    StorageTarget t = replicator.removeTarget(targetId);
    try (Stream<Path> walk = Files.walk(t.directory())) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new StorageException(
          StorageErrorCode.IO_ERROR, "target removed, but deleting " + t.directory() + ": " + e);
    }
  }

  StaticRoutingSource pushableRouting() {
    if (routing instanceof StaticRoutingSource s) {
      return s;
    }
    throw new IllegalStateException("this daemon follows mgmtd's routing; it cannot be pushed");
  }

  public StorageConfig config() {
    return config;
  }

  public ChainReplicator replicator() {
    return replicator;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int port() {
    return port;
  }

  public String address() {
    return config.host() + ":" + port();
  }

  /** The data channel's port (zero-copy chunk reads, {@code io.catena.protocol.data}). */
  public int dataPort() {
    return data.port();
  }

  /**
   * The data channel's host:port as mgmtd publishes it, or empty once the channel is closed (the
   * next heartbeat then tells clients to read over gRPC).
   */
  public String dataAddress() {
    return data.isOpen() ? config.host() + ":" + dataPort() : "";
  }

  /** Chunk reads the data channel has answered with data since start. */
  public long dataChannelReads() {
    return data.readsServed();
  }

  /**
   * Closes the data channel (its connections too); reads keep working over gRPC. For an operator
   * taking the side door out of service, and for tests of the clients' fallback.
   */
  public void closeDataChannel() {
    data.close();
  }

  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  @Override
  public void close() {
    if (metrics != null) {
      metrics.close();
    }
    data.close();
    grpc.shutdownNow();
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    peers.close();
    replicator.close();
    registry.close();
  }
}
