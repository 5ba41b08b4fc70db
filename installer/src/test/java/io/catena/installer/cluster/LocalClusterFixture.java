package io.catena.installer.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.ListRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real local cluster of processes for tests outside this package: {@code catena up --headless
 * --detach} through {@link LocalClusterProcesses}, its endpoints and tokens, and a teardown that
 * kills every process it started, by pid.
 */
public final class LocalClusterFixture implements AutoCloseable {

  private final Path data;
  private final LocalClusterProcesses processes;
  private JsonNode summary;

  private LocalClusterFixture(Path home, Path data) {
    this.data = data;
    this.processes = new LocalClusterProcesses(home, data);
  }

  /** Starts a cluster of {@code nodes} nodes in {@code data} and waits (bounded) until ready. */
  public static LocalClusterFixture up(Path home, Path data, int nodes) throws Exception {
    LocalClusterFixture f = new LocalClusterFixture(home, data);
    try {
      f.summary = f.processes.up(nodes);
      f.processes.collectPids();
      return f;
    } catch (Exception | Error e) {
      f.close();
      throw e;
    }
  }

  /** Credentials for this cluster's links: the control plane's own certificate (mutual TLS). */
  public io.grpc.ChannelCredentials wire(String endpoint) {
    return ControlPlaneWire.forState(data.resolve("control-plane")).channelCredentials(endpoint);
  }

  /** The cluster CA certificate clients verify the daemons with. */
  public Path ca() {
    return ControlPlaneWire.caCertificate(data.resolve("control-plane"));
  }

  /** The control plane's API, HOST:PORT. */
  public String controlPlane() {
    return summary.get("controlPlane").asText();
  }

  /** The admin token the console sends for changes (as {@code catena up} hands it on). */
  public String adminToken() throws IOException {
    Path file = new LocalCluster(data).controlPlaneDir().resolve("admin.token");
    return Files.isReadable(file) ? Files.readString(file).strip() : "";
  }

  /** The default tenant's token. */
  public String tenantToken() {
    return summary.get("token").asText();
  }

  /**
   * Chunk 0 of inode {@code sequence} of the tenant whose token {@link #tenantToken} is: storage
   * lets a tenant touch only chunks of its own inodes, whose ids carry the tenant
   * (docs/security-tenants.md).
   */
  public io.catena.storage.chunk.ChunkId tenantChunk(long sequence) {
    String meta =
        onControlPlane(
            s ->
                s.getStatus(io.catena.protocol.controlplane.GetStatusRequest.getDefaultInstance())
                    .getMetaEndpoint());
    io.grpc.ManagedChannel channel = io.grpc.Grpc.newChannelBuilder(meta, wire(meta)).build();
    try {
      long tenant =
          io.catena.protocol.meta.TenantServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
              .verifyToken(
                  io.catena.protocol.meta.VerifyTokenRequest.newBuilder()
                      .setToken(tenantToken())
                      .build())
              .getTenantId();
      return io.catena.storage.chunk.ChunkId.of(
          io.catena.protocol.chunk.InodeIds.of(tenant, sequence), 0);
    } finally {
      channel.shutdownNow();
    }
  }

  public String gateway() {
    return summary.get("gateway").asText();
  }

  /** A blocking control-plane call over a fresh channel (30 s deadline). */
  public <T> T onControlPlane(Function<ControlPlaneGrpc.ControlPlaneBlockingStub, T> call) {
    ManagedChannel channel = Grpc.newChannelBuilder(controlPlane(), wire(controlPlane())).build();
    try {
      return call.apply(
          ControlPlaneGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow();
    }
  }

  /** The chain as the control plane reports it now. */
  public ChainInfo chain(int chainId) {
    return onControlPlane(
        cp ->
            cp.listChains(ListRequest.getDefaultInstance()).getChainsList().stream()
                .filter(c -> c.getChainId() == chainId)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no chain " + chainId)));
  }

  /** The storage daemon's endpoint on {@code node}. */
  public String storageEndpoint(String node) {
    return onControlPlane(
        cp ->
            cp.listNodes(ListRequest.getDefaultInstance()).getNodesList().stream()
                .filter(n -> n.getName().equals(node))
                .flatMap(n -> n.getDaemonsList().stream())
                .filter(d -> d.getKind().equals("storage"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no storage daemon on " + node))
                .getEndpoint());
  }

  /** Runs {@code catena ARGS} against this cluster's home, bounded by {@code timeoutSeconds}. */
  public LocalClusterProcesses.Run catena(long timeoutSeconds, String... args) throws Exception {
    return processes.catena(timeoutSeconds, args);
  }

  /** Records the pids of the control plane, every agent and every daemon now running. */
  public void collectPids() throws IOException {
    processes.collectPids();
  }

  /** Kills every process this fixture started or found (by pid) and waits for each to exit. */
  @Override
  public void close() throws Exception {
    processes.killAll();
  }
}
