package io.catena.mgmtd;

import io.catena.kv.KvEngine;
import io.catena.mgmtd.cluster.ClusterManager;
import io.catena.mgmtd.ha.PrimaryElection;
import io.catena.mgmtd.service.MgmtdAdminGrpcService;
import io.catena.mgmtd.service.MgmtdGrpcService;
import io.catena.mgmtd.store.MgmtdStore;
import io.catena.protocol.mgmtd.MgmtdAdminServiceGrpc;
import io.catena.protocol.mgmtd.MgmtdServiceGrpc;
import io.catena.protocol.security.CallerInterceptor;
import io.catena.protocol.security.PeerIdentity;
import io.catena.protocol.security.TransportSecurity;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running mgmtd instance: the gRPC server, the lease keeper and, while primary, the failure
 * detector. Several instances share one KvEngine; the lease decides which one serves.
 */
public final class MgmtdServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MgmtdServer.class);

  /**
   * Who may call what on a TLS listener: heartbeats only with a node certificate (and only for that
   * node, checked by the service), admin calls only with the control plane's or an admin's. Routing
   * reads stay open to clients, which hold tenant tokens rather than certificates.
   */
  static final CallerInterceptor CALLERS =
      CallerInterceptor.builder()
          .require(MgmtdServiceGrpc.getHeartbeatMethod(), PeerIdentity.Role.NODE)
          .require(
              MgmtdAdminServiceGrpc.getServiceDescriptor(),
              PeerIdentity.Role.CONTROL_PLANE,
              PeerIdentity.Role.ADMIN)
          .build();

  private final MgmtdConfig config;
  private final KvEngine kv;
  private final boolean ownsKv;
  private final ClusterManager cluster;
  private final PrimaryElection election;
  private final MgmtdGrpcService service;
  private final ScheduledExecutorService timers;
  private final Server server;
  private volatile boolean wasPrimary;
  private volatile boolean stopped;

  private MgmtdServer(
      MgmtdConfig config, KvEngine kv, boolean ownsKv, Clock clock, TransportSecurity transport)
      throws IOException {
    this.config = config;
    this.kv = kv;
    this.ownsKv = ownsKv;
    MgmtdStore store = new MgmtdStore(kv);
    // The advertised address includes the bound port, known only once the server started.
    AtomicReference<String> address = new AtomicReference<>();
    this.cluster = new ClusterManager(store, clock, config.settings(), config.id());
    this.election =
        new PrimaryElection(store, cluster, clock, config.settings(), config.id(), address::get);
    this.service =
        new MgmtdGrpcService(cluster, election, config.settings(), config.id(), address::get);
    this.server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(config.listenHost(), config.port()),
                transport.serverCredentials(config.listenHost()))
            .addService(ServerInterceptors.intercept(service, CALLERS))
            .addService(ServerInterceptors.intercept(new MgmtdAdminGrpcService(cluster), CALLERS))
            .build();
    server.start();
    address.set(config.advertiseHost() + ":" + server.getPort());
    this.timers =
        Executors.newScheduledThreadPool(
            1, Thread.ofPlatform().daemon().name("mgmtd-" + config.id() + "-timer").factory());
    election.renew();
    wasPrimary = election.isPrimary();
    long renew = config.settings().leaseRenewInterval().toMillis();
    long check = config.settings().checkInterval().toMillis();
    timers.scheduleWithFixedDelay(this::renewLease, renew, renew, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(this::checkLiveness, check, check, TimeUnit.MILLISECONDS);
    log.info(
        "mgmtd {} listening on {} (primary: {})", config.id(), address.get(), election.isPrimary());
  }

  /** Starts an instance over the KvEngine at {@code config.kvUri()}, which it closes on close. */
  public static MgmtdServer start(MgmtdConfig config) {
    return start(config, TransportSecurity.plaintext());
  }

  /** Starts an instance serving with {@code transport} (mutual TLS off loopback). */
  public static MgmtdServer start(MgmtdConfig config, TransportSecurity transport) {
    KvEngine kv = io.catena.kv.KvEngines.open(config.kvUri());
    try {
      return new MgmtdServer(config, kv, true, Clock.systemUTC(), transport);
    } catch (IOException e) {
      kv.close();
      throw new UncheckedIOException(
          "mgmtd cannot listen on " + config.listenHost() + ":" + config.port(), e);
    }
  }

  /** Starts an instance over a shared KvEngine (tests, several instances in one process). */
  public static MgmtdServer start(MgmtdConfig config, KvEngine kv, Clock clock) {
    try {
      return new MgmtdServer(config, kv, false, clock, TransportSecurity.plaintext());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "mgmtd cannot listen on " + config.listenHost() + ":" + config.port(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public String address() {
    return config.advertiseHost() + ":" + server.getPort();
  }

  public boolean isPrimary() {
    return election.isPrimary();
  }

  public ClusterManager cluster() {
    return cluster;
  }

  /** Blocks until the server stops. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops at once without giving up the lease, as a crash would (tests of failover). */
  public void kill() {
    stopped = true;
    timers.shutdownNow();
    server.shutdownNow();
    service.shutdown();
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    timers.shutdownNow();
    election.release();
    service.closeWatchers("mgmtd is shutting down");
    server.shutdown();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.shutdownNow();
    service.shutdown();
    if (ownsKv) {
      kv.close();
    }
  }

  private void renewLease() {
    try {
      election.renew();
      boolean primary = election.isPrimary();
      if (wasPrimary && !primary) {
        service.closeWatchers("this mgmtd is no longer the primary");
      }
      wasPrimary = primary;
    } catch (RuntimeException e) {
      log.warn("lease renewal failed", e);
    }
  }

  private void checkLiveness() {
    if (!election.isPrimary()) {
      return;
    }
    try {
      cluster.checkLiveness();
    } catch (RuntimeException e) {
      log.warn("failure detection round failed: {}", e.getMessage());
    }
  }
}
