package io.catena.meta;

import io.catena.kv.KvEngine;
import io.catena.kv.KvEngines;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.protocol.security.SecretFiles;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meta daemon: opens the KvEngine, bootstraps the system tenant (writing its first admin token
 * to the configured file, mode 0600), serves MetaService and TenantService over gRPC and runs chunk
 * GC. {@code catena daemon meta} runs {@link #main}.
 */
public final class MetaDaemon implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MetaDaemon.class);

  static final Duration KV_REAP_INTERVAL = Duration.ofSeconds(1);

  /** How long a starting daemon waits for mgmtd's first routing info before serving anyway. */
  static final Duration FIRST_ROUTING_WAIT = Duration.ofSeconds(30);

  /** Deadline of one Remove call to a chain head. */
  static final Duration STORAGE_CALL_TIMEOUT = Duration.ofSeconds(30);

  private final KvEngine kv;
  private final MetaNode node;
  private final Server server;
  private final List<AutoCloseable> mgmtdParts;

  private MetaDaemon(KvEngine kv, MetaNode node, Server server, List<AutoCloseable> mgmtdParts) {
    this.kv = kv;
    this.node = node;
    this.server = server;
    this.mgmtdParts = mgmtdParts;
  }

  /**
   * Starts a daemon. Without mgmtd, chunk removal has nowhere to go: the given remover is used
   * (storage's client once it exists); removals that fail stay queued.
   */
  public static MetaDaemon start(MetaDaemonConfig config, ChunkRemover remover) throws IOException {
    return start(config, remover, false, TransportSecurity.plaintext());
  }

  /**
   * Starts a daemon that removes the chunks of deleted and truncated files from storage: with
   * {@code --mgmtd}, through the chain heads mgmtd's routing names, with a system-tenant token
   * issued at start; without mgmtd there is no routing, so removals stay queued ({@link
   * #NO_STORAGE}).
   */
  public static MetaDaemon start(MetaDaemonConfig config) throws IOException {
    return start(config, TransportSecurity.plaintext());
  }

  /** {@link #start(MetaDaemonConfig)}, serving and dialling with {@code transport}. */
  public static MetaDaemon start(MetaDaemonConfig config, TransportSecurity transport)
      throws IOException {
    return start(config, NO_STORAGE, config.followsMgmtd(), transport);
  }

  private static MetaDaemon start(
      MetaDaemonConfig config, ChunkRemover given, boolean toStorage, TransportSecurity transport)
      throws IOException {
    KvEngine kv = KvEngines.open(config.kvUri());
    List<AutoCloseable> mgmtdParts = new ArrayList<>();
    try {
      ChainTableCatalog catalog = catalog(config, mgmtdParts, transport);
      AtomicReference<String> gcToken = new AtomicReference<>();
      ChunkRemover remover = given;
      if (toStorage && catalog instanceof MgmtdChainTableCatalog followed) {
        StorageChunkRemover storage =
            new StorageChunkRemover(
                followed::latestRouting, gcToken::get, STORAGE_CALL_TIMEOUT, transport);
        mgmtdParts.addFirst(storage);
        remover = storage;
      }
      MetaNode node = new MetaNode(kv, catalog, remover);
      Optional<IssuedToken> admin = node.tenants().bootstrap();
      if (admin.isEmpty() && !Files.exists(config.adminTokenFile())) {
        // The system tenant exists but its token file does not: a crash between the bootstrap's
        // commit and the file's write, or an operator who removed it. Issue a new one.
        admin = Optional.of(node.tenants().issueToken(Tenant.SYSTEM_ID, 0, 0));
      }
      if (admin.isPresent()) {
        writeSecret(config, admin.get().token());
        log.info("bootstrapped the system tenant; admin token in {}", config.adminTokenFile());
      }
      if (toStorage) {
        // Meta's own admin token for chunk removal, kept in memory only: the operator's token
        // (the file) may be rotated or revoked without stopping GC.
        gcToken.set(node.tenants().issueToken(Tenant.SYSTEM_ID, 0, 0).token());
      }
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(
              new InetSocketAddress(config.host(), config.port()),
              transport.serverCredentials(config.host()));
      for (ServerServiceDefinition service : node.services()) {
        builder.addService(service);
      }
      int resumed = node.tenants().resumePurges();
      if (resumed > 0) {
        log.info("finished the purge of {} deleted tenant(s) cut short before", resumed);
      }
      Server server = builder.build().start();
      node.collector().start(config.gcInterval());
      node.kvReaper().start(KV_REAP_INTERVAL);
      return new MetaDaemon(kv, node, server, mgmtdParts);
    } catch (IOException | RuntimeException e) {
      closeAll(mgmtdParts);
      kv.close();
      throw e;
    }
  }

  /**
   * The chain tables files are laid out on: mgmtd's (followed, all versions kept) when the config
   * names mgmtd, else the configured list.
   */
  private static ChainTableCatalog catalog(
      MetaDaemonConfig config, List<AutoCloseable> parts, TransportSecurity transport) {
    if (!config.followsMgmtd()) {
      InMemoryChainTableCatalog catalog = new InMemoryChainTableCatalog();
      config.chainTables().forEach(catalog::put);
      return catalog;
    }
    MgmtdClient mgmtd = new MgmtdClient(config.mgmtdEndpoints(), transport);
    parts.add(mgmtd);
    MgmtdChainTableCatalog catalog = MgmtdChainTableCatalog.start(mgmtd, Duration.ofSeconds(10));
    parts.addFirst(catalog);
    try {
      if (!catalog.awaitFirstRouting(FIRST_ROUTING_WAIT)) {
        log.warn(
            "no routing info from mgmtd at {} within {} s; serving, chain tables arrive later",
            config.mgmtdEndpoints(),
            FIRST_ROUTING_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return catalog;
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        log.debug("closing {}: {}", part, e.getMessage());
      }
    }
  }

  private static void writeSecret(MetaDaemonConfig config, String token) throws IOException {
    // Mode 0600 from creation and an atomic rename: never readable by others, never torn.
    SecretFiles.writeSecret(config.adminTokenFile(), token + "\n");
  }

  public int port() {
    return server.getPort();
  }

  public MetaNode node() {
    return node;
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    node.close();
    closeAll(mgmtdParts);
    kv.close();
  }

  /** Without routing to storage: removals fail and stay queued. */
  public static final ChunkRemover NO_STORAGE =
      removal -> {
        throw new IllegalStateException("no storage service is connected to remove chunks");
      };

  /**
   * Starts a daemon, stops it on JVM shutdown, reports where it listens and blocks until it ends;
   * what {@code catena daemon meta} and {@link #main} run.
   */
  public static void run(
      MetaDaemonConfig config, TransportSecurity transport, java.util.function.IntConsumer started)
      throws Exception {
    MetaDaemon daemon = start(config, transport);
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "meta-shutdown"));
    started.accept(daemon.port());
    daemon.awaitTermination();
  }

  public static void main(String[] args) throws Exception {
    MetaDaemonConfig config;
    try {
      config = MetaDaemonConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("meta: " + e.getMessage());
      System.exit(2);
      return;
    }
    run(
        config,
        TransportSecurity.plaintext(),
        port -> System.out.println("meta listening on " + config.host() + ":" + port));
  }
}
