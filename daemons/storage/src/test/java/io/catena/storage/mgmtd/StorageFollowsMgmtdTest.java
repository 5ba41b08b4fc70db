package io.catena.storage.mgmtd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.catena.kv.KvEngine;
import io.catena.kv.memory.MemoryKvEngine;
import io.catena.mgmtd.MgmtdConfig;
import io.catena.mgmtd.MgmtdServer;
import io.catena.mgmtd.cluster.MgmtdSettings;
import io.catena.protocol.mgmtd.AddNodeRequest;
import io.catena.protocol.mgmtd.AdminResponse;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.CreateTargetsRequest;
import io.catena.protocol.mgmtd.DiskInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.SetChainTableRequest;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.routing.AddressResolver;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.protocol.storage.ReadRequest;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.RequestId;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.chain.ChainMember;
import io.catena.storage.chain.ChainView;
import io.catena.storage.chain.PublicTargetState;
import io.catena.storage.chunk.ChunkId;
import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.chunk.FsyncPolicy;
import io.catena.storage.server.StorageConfig;
import io.catena.storage.server.StorageServer;
import io.catena.storage.server.TargetConfig;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage daemons driven by a real mgmtd: they heartbeat, follow its routing, and when the head's
 * daemon dies mgmtd moves it to the tail, writes continue at the new head, and the restarted daemon
 * syncs back to byte-identical and serves again.
 */
class StorageFollowsMgmtdTest {

  private static final int CHAIN = 1;
  private static final EngineConfig ENGINE =
      new EngineConfig(
          List.of(64 * EngineConfig.KIB, 256 * EngineConfig.KIB, EngineConfig.MIB),
          4L * EngineConfig.MIB,
          FsyncPolicy.NEVER,
          0);
  private static final MgmtdSettings TIMING =
      new MgmtdSettings(
          Duration.ofMillis(200),
          Duration.ofMillis(1500),
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofMillis(100));
  private static final long WAIT_MS = 60_000;

  @TempDir Path root;

  private final KvEngine kv = MemoryKvEngine.create();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private MgmtdClient mgmtd;
  private final StorageNode[] nodes = new StorageNode[3];

  private record StorageNode(
      StorageServer server, MgmtdRoutingSource routing, MgmtdHeartbeater heartbeat)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      heartbeat.close();
      routing.close();
      server.close();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (StorageNode n : nodes) {
      if (n != null) {
        n.close();
      }
    }
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    kv.close();
  }

  private static long target(int node) {
    return node * 100L;
  }

  private StorageNode startStorage(int node) {
    MgmtdRoutingSource routing = new MgmtdRoutingSource();
    MgmtdHeartbeater heartbeat = new MgmtdHeartbeater("storage-" + node, node);
    StorageServer server =
        StorageServer.start(
            StorageConfig.loopback(
                node,
                List.of(new TargetConfig(target(node), CHAIN, root.resolve("node-" + node))),
                ENGINE),
            routing,
            heartbeat,
            RequestAuthorizer.allowAll());
    routing.start(mgmtd);
    heartbeat.start(mgmtd, server::address, t -> 0);
    return new StorageNode(server, routing, heartbeat);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT_MS + " ms waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private ChainView routedChain() {
    return nodes[1] != null
        ? nodes[1].routing().chain(CHAIN).orElse(null)
        : nodes[2].routing().chain(CHAIN).orElse(null);
  }

  private boolean allServing(MgmtdRoutingSource routing) {
    return routing
        .chain(CHAIN)
        .map(v -> v.members().stream().allMatch(m -> m.state() == PublicTargetState.SERVING))
        .orElse(false);
  }

  private StorageServiceGrpc.StorageServiceBlockingStub stub(String address) {
    ManagedChannel ch =
        channels.computeIfAbsent(
            address, a -> Grpc.newChannelBuilder(a, InsecureChannelCredentials.create()).build());
    return StorageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Writes at the current head, retrying (with fresh routing) until acknowledged. */
  private void write(ChunkId chunk, byte[] data, long seq) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    String last = "";
    while (System.nanoTime() < deadline) {
      ChainView view = routedChain();
      if (view != null && view.head().isPresent()) {
        try {
          WriteResponse r =
              stub(view.head().get().address())
                  .write(
                      WriteRequest.newBuilder()
                          .setChainId(CHAIN)
                          .setChainVersion(view.version())
                          .setChunkId(ByteString.copyFrom(chunk.toBytes()))
                          .setData(ByteString.copyFrom(data))
                          .setRequestId(RequestId.newBuilder().setClientId("test").setSeq(seq))
                          .build());
          if (!r.hasError()) {
            return;
          }
          last = r.getError().getMessage();
          assertThat(r.getError().getRetryable()).as(last).isTrue();
        } catch (StatusRuntimeException e) {
          last = e.getStatus().toString();
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("write never acknowledged: " + last);
  }

  private byte[] read(String address, ChunkId chunk) {
    ChainView view = routedChain();
    ReadResponse r =
        stub(address)
            .read(
                ReadRequest.newBuilder()
                    .setChainId(CHAIN)
                    .setChainVersion(view.version())
                    .setChunkId(ByteString.copyFrom(chunk.toBytes()))
                    .build());
    assertThat(r.hasError()).as("%s", r.getError()).isFalse();
    return r.getData().toByteArray();
  }

  private static void ok(AdminResponse r) {
    assertThat(r.hasError()).as("%s", r.getError()).isFalse();
  }

  @Test
  void theHeadDiesWritesGoOnAndTheRestartedReplicaSyncsBack() throws Exception {
    MgmtdServer server =
        MgmtdServer.start(
            new MgmtdConfig("m1", "127.0.0.1", 0, "127.0.0.1", "memory:", TIMING),
            kv,
            Clock.systemUTC());
    open.add(server);
    mgmtd =
        new MgmtdClient(
            List.of(server.address()),
            AddressResolver.system(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30));
    open.add(mgmtd);
    for (int n = 1; n <= 3; n++) {
      nodes[n - 1] = startStorage(n);
      NodeInfo info =
          NodeInfo.newBuilder()
              .setNodeId(n)
              .setAddress(nodes[n - 1].server().address())
              .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(1L << 30))
              .build();
      ok(
          mgmtd.admin(
              s -> s.addNode(AddNodeRequest.newBuilder().setNode(info).build()),
              AdminResponse::getError));
      int node = n;
      ok(
          mgmtd.admin(
              s ->
                  s.createTargets(
                      CreateTargetsRequest.newBuilder()
                          .addTargets(
                              TargetInfo.newBuilder()
                                  .setTargetId(target(node))
                                  .setNodeId(node)
                                  .setCapacityBytes(1L << 29))
                          .build()),
              AdminResponse::getError));
    }
    ok(
        mgmtd.admin(
            s ->
                s.setChainTable(
                    SetChainTableRequest.newBuilder()
                        .setTableId(1)
                        .addChains(
                            ChainSpec.newBuilder()
                                .setChainId(CHAIN)
                                .addAllTargetIds(List.of(100L, 200L, 300L)))
                        .build()),
            AdminResponse::getError));
    for (StorageNode n : nodes) {
      await("every daemon to see a serving chain", () -> allServing(n.routing()));
    }

    Random random = new Random(7);
    byte[] before = new byte[200_000];
    random.nextBytes(before);
    ChunkId a = ChunkId.of(1, 0);
    write(a, before, 1);

    // The head's daemon dies.
    nodes[0].close();
    nodes[0] = null;
    await(
        "mgmtd to move the dead head to the tail",
        () -> {
          ChainView v = routedChain();
          return v != null
              && v.members().getLast().targetId() == 100L
              && v.members().getLast().state() == PublicTargetState.OFFLINE;
        });
    byte[] during = new byte[300_000];
    random.nextBytes(during);
    ChunkId b = ChunkId.of(1, 1);
    write(b, during, 2);
    String tail = nodes[2].server().address();
    assertThat(read(tail, a)).isEqualTo(before);
    assertThat(read(tail, b)).isEqualTo(during);

    // It comes back on the same directory: fenced, then synced by its predecessor, then serving.
    nodes[0] = startStorage(1);
    await(
        "the restarted replica to serve again",
        () -> allServing(nodes[0].routing()) && allServing(nodes[1].routing()));
    ChainView view = routedChain();
    ChainMember revived =
        view.members().stream().filter(m -> m.targetId() == 100L).findFirst().orElseThrow();
    assertThat(read(revived.address(), a)).isEqualTo(before);
    assertThat(read(revived.address(), b)).isEqualTo(during);
  }
}
