package io.catena.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.catena.installer.CatenaCli;
import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.storage.ReadRequest;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.RequestId;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.chunk.ChunkId;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code catena up --headless --detach --nodes 3}, {@code catena status --json}, {@code catena
 * down} as real processes (a control plane, three agents, mgmtd, meta and three storage daemons):
 * the cluster becomes ready and nothing is left running afterwards.
 */
class LocalClusterProcessTest {

  @TempDir Path home;
  @TempDir Path data;
  private LocalClusterProcesses processes;

  @org.junit.jupiter.api.BeforeEach
  void fixture() {
    processes = new LocalClusterProcesses(home, data);
  }

  @AfterEach
  void killEverythingStarted() throws Exception {
    processes.killAll();
  }

  private Path launcher() throws IOException {
    return processes.launcher();
  }

  private LocalClusterProcesses.Run catena(Path launcher, long timeoutSeconds, String... args)
      throws Exception {
    return processes.catena(timeoutSeconds, args);
  }

  private void collectPids(LocalCluster ignored) throws IOException {
    processes.collectPids();
  }

  private static final byte[] DATA =
      "kv block 42: attention keys and values".getBytes(StandardCharsets.UTF_8);

  /** The head of chain 1: its storage endpoint and the chain's version. */
  private record Head(String endpoint, long version) {}

  private Head headOfChainOne() {
    String cp = new LocalCluster(data).controlPlane().orElseThrow().endpoint();
    ManagedChannel channel = Grpc.newChannelBuilder(cp, wire(cp)).build();
    try {
      var stub = ControlPlaneGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
      ChainInfo chain = stub.listChains(ListRequest.getDefaultInstance()).getChains(0);
      String node = chain.getTargets(0).getNode();
      String endpoint =
          stub.listNodes(ListRequest.getDefaultInstance()).getNodesList().stream()
              .filter(n -> n.getName().equals(node))
              .flatMap(n -> n.getDaemonsList().stream())
              .filter(d -> d.getKind().equals("storage"))
              .findFirst()
              .orElseThrow()
              .getEndpoint();
      return new Head(endpoint, chain.getVersion());
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Credentials for the cluster in {@code data}: the control plane's own certificate (the cluster
   * speaks mutual TLS), as the CLI on its machine uses it.
   */
  private io.grpc.ChannelCredentials wire(String endpoint) {
    return ControlPlaneWire.forState(data.resolve("control-plane")).channelCredentials(endpoint);
  }

  private <T> T onStorage(
      String endpoint,
      java.util.function.Function<StorageServiceGrpc.StorageServiceBlockingStub, T> call) {
    ManagedChannel channel = Grpc.newChannelBuilder(endpoint, wire(endpoint)).build();
    try {
      return call.apply(
          StorageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Block 42 as a chunk of the token's tenant: storage lets a tenant touch only chunks of its own
   * inodes, whose ids carry the tenant (docs/security-tenants.md). An unknown token gets tenant
   * 1's.
   */
  private ChunkId blockOf(String token) {
    String cp = new LocalCluster(data).controlPlane().orElseThrow().endpoint();
    ManagedChannel channel = Grpc.newChannelBuilder(cp, wire(cp)).build();
    String meta;
    try {
      meta =
          ControlPlaneGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .getStatus(io.catena.protocol.controlplane.GetStatusRequest.getDefaultInstance())
              .getMetaEndpoint();
    } finally {
      channel.shutdownNow();
    }
    ManagedChannel metaChannel = Grpc.newChannelBuilder(meta, wire(meta)).build();
    long tenant;
    try {
      tenant =
          io.catena.protocol.meta.TenantServiceGrpc.newBlockingStub(metaChannel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .verifyToken(
                  io.catena.protocol.meta.VerifyTokenRequest.newBuilder().setToken(token).build())
              .getTenantId();
    } catch (io.grpc.StatusRuntimeException e) {
      tenant = 1;
    } finally {
      metaChannel.shutdownNow();
    }
    return ChunkId.of(io.catena.protocol.chunk.InodeIds.of(tenant, 42), 0);
  }

  private void writeABlock(String token) {
    WriteResponse r = writeWith(token, 1);
    assertThat(r.hasError()).as("%s", r.getError()).isFalse();
  }

  private WriteResponse writeWith(String token, long seq) {
    Head head = headOfChainOne();
    ChunkId block = blockOf(token);
    return onStorage(
        head.endpoint(),
        s ->
            s.write(
                WriteRequest.newBuilder()
                    .setChainId(1)
                    .setChainVersion(head.version())
                    .setChunkId(ByteString.copyFrom(block.toBytes()))
                    .setData(ByteString.copyFrom(DATA))
                    .setRequestId(RequestId.newBuilder().setClientId("test").setSeq(seq))
                    .setToken(token)
                    .build()));
  }

  private byte[] readTheBlock(String token) {
    Head head = headOfChainOne();
    ChunkId block = blockOf(token);
    ReadResponse r =
        onStorage(
            head.endpoint(),
            s ->
                s.read(
                    ReadRequest.newBuilder()
                        .setChainId(1)
                        .setChainVersion(head.version())
                        .setChunkId(ByteString.copyFrom(block.toBytes()))
                        .setToken(token)
                        .build()));
    assertThat(r.hasError()).as("%s", r.getError()).isFalse();
    return r.getData().toByteArray();
  }

  @Test
  void upGivesAReadyClusterAndDownLeavesNoProcess() throws Exception {
    Path catena = launcher();
    String dir = data.toString();

    LocalClusterProcesses.Run up =
        catena(
            catena,
            600,
            "up",
            "--headless",
            "--detach",
            "--nodes",
            "3",
            "--data",
            dir,
            "--timeout",
            "500",
            "--json");
    assertThat(up.exit()).as(up.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(up.out());
    assertThat(summary.get("ready").asBoolean()).isTrue();
    assertThat(summary.get("token").asText()).startsWith("ctn1.");
    assertThat(up.err()).contains("agents-joined").contains("chain-table");

    LocalClusterProcesses.Run status = catena(catena, 120, "status", "--json", "--data", dir);
    assertThat(status.exit()).as(status.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(status.out());
    assertThat(s.get("conditions"))
        .anySatisfy(
            c -> {
              assertThat(c.get("type").asText()).isEqualTo("Ready");
              assertThat(c.get("status").asText()).isEqualTo("True");
            });
    assertThat(s.get("nodes").asInt()).isEqualTo(3);

    LocalClusterProcesses.Run nodes = catena(catena, 120, "nodes", "--json", "--data", dir);
    assertThat(new ObjectMapper().readTree(nodes.out()).get("nodes")).hasSize(3);

    collectPids(new LocalCluster(data));
    assertThat(processes.seen())
        .as("control plane, 3 agents, mgmtd, meta, 3 storage, gateway")
        .hasSize(10);
    String token = summary.get("token").asText();
    assertThat(gatewayRoundTrip(summary.get("gateway").asText(), token)).isEqualTo(DATA);
    WriteResponse refused = writeWith("ctn1.999.not-a-token", 2);
    assertThat(refused.hasError()).as("storage checks the tenant's token").isTrue();
    writeABlock(token);

    LocalClusterProcesses.Run down = catena(catena, 300, "down", "--data", dir);
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(down.out()).contains("stopped 1 control plane, 3 agent(s), 6 daemon(s)");
    assertThat(processes.seen()).noneMatch(ProcessHandle::isAlive);

    LocalClusterProcesses.Run after = catena(catena, 120, "status", "--data", dir);
    assertThat(after.exit()).isEqualTo(1);
    assertThat(after.err().strip().lines()).hasSize(1);
    assertThat(after.err()).contains("no cluster is running");

    // Up again on the same directory: the same cluster, its data intact.
    LocalClusterProcesses.Run again =
        catena(
            catena,
            600,
            "up",
            "--headless",
            "--detach",
            "--data",
            dir,
            "--timeout",
            "500",
            "--json");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(new ObjectMapper().readTree(again.out()).get("token").asText())
        .isEqualTo(summary.get("token").asText());
    assertThat(readTheBlock(summary.get("token").asText())).isEqualTo(DATA);
    processes.seen().clear();
    collectPids(new LocalCluster(data));
    LocalClusterProcesses.Run downAgain = catena(catena, 300, "down", "--data", dir);
    assertThat(downAgain.exit()).as(downAgain.err()).isZero();
    assertThat(processes.seen()).hasSize(10).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void scaleOutOfALocalClusterStartsAgentsThatDownStops() throws Exception {
    Path catena = launcher();
    String dir = data.toString();
    LocalClusterProcesses.Run up =
        catena(
            catena,
            600,
            "up",
            "--headless",
            "--detach",
            "--nodes",
            "3",
            "--data",
            dir,
            "--timeout",
            "500",
            "--json");
    assertThat(up.exit()).as(up.err()).isZero();
    String token = new ObjectMapper().readTree(up.out()).get("token").asText();
    writeABlock(token);

    LocalClusterProcesses.Run scale =
        catena(catena, 600, "scale-out", "--nodes", "2", "--data", dir, "--json");
    assertThat(scale.exit()).as(scale.out() + scale.err()).isZero();

    JsonNode s = awaitReadyStatus(catena, dir, Duration.ofSeconds(300));
    assertThat(s.get("nodes").asInt()).isEqualTo(5);
    assertThat(readTheBlock(token)).isEqualTo(DATA);
    assertThat(new LocalCluster(data).manifest().spec().nodes())
        .as("the spec keeps the new nodes for a restart")
        .hasSize(5);

    collectPids(new LocalCluster(data));
    assertThat(processes.seen())
        .as("control plane, 5 agents, mgmtd, meta, 5 storage, gateway")
        .hasSize(14);
    LocalClusterProcesses.Run down = catena(catena, 300, "down", "--data", dir);
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(down.out()).contains("5 agent(s)");
    assertThat(processes.seen()).noneMatch(ProcessHandle::isAlive);
  }

  private JsonNode awaitReadyStatus(Path catena, String dir, Duration timeout) throws Exception {
    return processes.awaitReadyStatus(timeout);
  }

  /** A KV put then get through the HTTP gateway that {@code up} started, with the tenant token. */
  private byte[] gatewayRoundTrip(String gateway, String token) throws Exception {
    assertThat(gateway).as("a TLS cluster's gateway serves HTTPS").startsWith("https://127.0.0.1:");
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .sslContext(
                ((io.catena.protocol.security.TransportSecurity.Tls)
                        io.catena.protocol.security.TransportSecurity.trusting(
                            ControlPlaneWire.caCertificate(data.resolve("control-plane"))))
                    .sslContext())
            .build();
    java.net.URI key = java.net.URI.create(gateway + "/v1/kv/keys/page-1");
    var put =
        http.send(
            java.net.http.HttpRequest.newBuilder(key)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(DATA))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(put.statusCode()).as("gateway put").isEqualTo(201);
    var unauthorised =
        http.send(
            java.net.http.HttpRequest.newBuilder(key)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer not-a-token")
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(unauthorised.statusCode()).as("gateway with a bad token").isEqualTo(401);
    var get =
        http.send(
            java.net.http.HttpRequest.newBuilder(key)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).as("gateway get").isEqualTo(200);
    return get.body();
  }

  private int runInProcess(StringWriter err, String... args) {
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void resumingWithAnotherNodeCountIsRefusedBeforeAnythingStarts() {
    LocalCluster cluster = new LocalCluster(data);
    cluster.writeManifest(cluster.newManifest(3));
    StringWriter err = new StringWriter();
    assertThat(runInProcess(err, "up", "--nodes", "2", "--data", data.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("holds a 3-node cluster");
    assertThat(Optional.ofNullable(cluster.controlPlane().orElse(null))).isEmpty();
  }

  @Test
  void downWithoutAClusterSaysSo() {
    StringWriter err = new StringWriter();
    assertThat(runInProcess(err, "down", "--data", data.resolve("none").toString())).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("no cluster in");
  }
}
