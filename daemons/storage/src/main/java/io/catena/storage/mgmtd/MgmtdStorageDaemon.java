package io.catena.storage.mgmtd;

import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.protocol.security.TransportSecurity;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.auth.MetaTenantAuthorization;
import io.catena.storage.chain.StorageTarget;
import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.server.StorageConfig;
import io.catena.storage.server.StorageServer;
import io.catena.storage.server.TargetConfig;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage daemon joined to mgmtd: it reopens the targets already on its disks, heartbeats,
 * follows mgmtd's routing, and creates locally every target mgmtd places on its node once the
 * target is in a chain (see {@link AssignedTargets}). {@code catena daemon storage} runs one.
 */
public final class MgmtdStorageDaemon implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MgmtdStorageDaemon.class);

  private final Settings settings;
  private final MgmtdClient mgmtd;
  private final MgmtdRoutingSource routing;
  private final MgmtdHeartbeater heartbeat;
  private final StorageServer server;
  private final ExecutorService assigner;
  private final ManagedChannel meta;
  private final MetaTenantAuthorization tenantAuth;

  /**
   * What the daemon needs: its node, mgmtd's endpoints, where to listen, its disks, chunk engine
   * settings, where to write "grpcPort metricsPort" once listening (may be null), and meta's
   * endpoint: when given, client I/O needs a token whose tenant may use the chain (tenant
   * isolation, see docs/storage.md); when null every request is served (tests, single-tenant
   * setups).
   */
  public record Settings(
      int nodeId,
      List<String> mgmtdEndpoints,
      String host,
      int port,
      int metricsPort,
      List<Path> dataDirs,
      EngineConfig engine,
      Path portFile,
      String metaEndpoint,
      TransportSecurity transport) {
    public Settings {
      mgmtdEndpoints = List.copyOf(mgmtdEndpoints);
      dataDirs = List.copyOf(dataDirs);
      if (nodeId <= 0) {
        throw new IllegalArgumentException("--node-id must be positive, got " + nodeId);
      }
      if (mgmtdEndpoints.isEmpty()) {
        throw new IllegalArgumentException("--mgmtd needs at least one HOST:PORT");
      }
      if (dataDirs.isEmpty()) {
        throw new IllegalArgumentException("--data needs at least one directory");
      }
    }
  }

  private MgmtdStorageDaemon(Settings settings) {
    this.settings = settings;
    List<TargetConfig> existing = LocalTargetScan.scan(settings.dataDirs());
    this.mgmtd = new MgmtdClient(settings.mgmtdEndpoints(), settings.transport());
    this.routing = new MgmtdRoutingSource();
    this.heartbeat = new MgmtdHeartbeater("storage-" + settings.nodeId(), settings.nodeId());
    StorageConfig config =
        new StorageConfig(
            settings.nodeId(),
            settings.host(),
            settings.port(),
            settings.metricsPort(),
            existing,
            settings.engine(),
            Duration.ofSeconds(20),
            settings.portFile());
    RequestAuthorizer authorizer = RequestAuthorizer.allowAll();
    if (settings.metaEndpoint() != null && !settings.metaEndpoint().isBlank()) {
      this.meta =
          Grpc.newChannelBuilder(
                  settings.metaEndpoint(),
                  settings.transport().channelCredentials(settings.metaEndpoint()))
              .build();
      this.tenantAuth = MetaTenantAuthorization.start(meta, routing.chainTables());
      authorizer = tenantAuth;
    } else {
      this.meta = null;
      this.tenantAuth = null;
    }
    this.server = StorageServer.start(config, routing, heartbeat, authorizer, settings.transport());
    this.assigner = Executors.newSingleThreadExecutor(r -> new Thread(r, "target-assigner"));
    routing.subscribeInfo(info -> assigner.execute(() -> createAssigned(info)));
    routing.start(mgmtd);
    heartbeat.start(mgmtd, server::address, server::dataAddress, this::usedBytes);
    log.info(
        "storage node {} reopened {} target(s), following mgmtd at {}",
        settings.nodeId(),
        existing.size(),
        settings.mgmtdEndpoints());
  }

  public static MgmtdStorageDaemon start(Settings settings) {
    return new MgmtdStorageDaemon(settings);
  }

  private long usedBytes(long targetId) {
    return server.replicator().target(targetId).map(t -> t.engine().space().usedBytes()).orElse(0L);
  }

  private void createAssigned(RoutingInfo info) {
    Set<Long> served = new HashSet<>();
    for (StorageTarget t : server.replicator().targets()) {
      served.add(t.targetId());
    }
    AssignedTargets.Result result =
        AssignedTargets.toCreate(info, settings.nodeId(), served, settings.dataDirs());
    for (long id : result.unplaceable()) {
      log.warn("target {} is placed on a disk this daemon was not given (--data)", id);
    }
    for (TargetConfig c : result.create()) {
      try {
        server.createTarget(c);
        log.info("created target {} of chain {} in {}", c.targetId(), c.chainId(), c.directory());
      } catch (RuntimeException e) {
        log.warn("cannot create target {}: {}", c.targetId(), e.getMessage());
      }
    }
  }

  public StorageServer server() {
    return server;
  }

  public String address() {
    return server.address();
  }

  @Override
  public void close() {
    assigner.shutdownNow();
    heartbeat.close();
    try {
      routing.close();
    } catch (Exception e) {
      log.debug("closing routing", e);
    }
    try {
      assigner.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    mgmtd.close();
    if (tenantAuth != null) {
      tenantAuth.close();
    }
    if (meta != null) {
      meta.shutdownNow();
    }
  }
}
