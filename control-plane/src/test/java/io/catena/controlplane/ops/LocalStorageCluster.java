package io.catena.controlplane.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.catena.controlplane.ops.cluster.ClusterSnapshot;
import io.catena.controlplane.ops.cluster.GrpcClusterAdmin;
import io.catena.controlplane.ops.cluster.NodeProvisioner;
import io.catena.controlplane.ops.cluster.NodeRestarter;
import io.catena.controlplane.ops.cluster.StorageReplicaHosts;
import io.catena.kv.KvEngine;
import io.catena.kv.memory.MemoryKvEngine;
import io.catena.mgmtd.MgmtdConfig;
import io.catena.mgmtd.MgmtdServer;
import io.catena.mgmtd.cluster.MgmtdSettings;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.DiskInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.routing.AddressResolver;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.protocol.storage.ReadRequest;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.RequestId;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.chain.LocalTargetState;
import io.catena.storage.chunk.ChunkId;
import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.chunk.FsyncPolicy;
import io.catena.storage.mgmtd.MgmtdStorageDaemon;
import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ClusterTopology;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetPublicState;
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
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real cluster in this JVM for operations tests: one mgmtd (memory KV) and storage daemons on
 * loopback that heartbeat and follow routing, each node's targets under its own directory. Nodes
 * can be killed, started again on the same directories, and added (the {@link NodeProvisioner}).
 */
public final class LocalStorageCluster implements AutoCloseable {

  static final MgmtdSettings TIMING =
      new MgmtdSettings(
          Duration.ofMillis(200),
          Duration.ofMillis(1500),
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofMillis(100));
  static final EngineConfig ENGINE =
      new EngineConfig(
          List.of(64 * EngineConfig.KIB, 256 * EngineConfig.KIB, EngineConfig.MIB),
          4L * EngineConfig.MIB,
          FsyncPolicy.NEVER,
          0);
  static final long WAIT_MS = 120_000;
  static final long DISK = 1L << 30;
  static final long TARGET_CAPACITY = 128L << 20;

  final Path root;
  private final KvEngine kv = MemoryKvEngine.create();
  private final MgmtdServer mgmtd;
  final MgmtdClient client;
  final GrpcClusterAdmin admin;
  final StorageReplicaHosts hosts;
  private final Map<Integer, MgmtdStorageDaemon> nodes = new ConcurrentHashMap<>();
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  final List<String> restarts = new CopyOnWriteArrayList<>();

  LocalStorageCluster(Path root) {
    this.root = root;
    this.mgmtd =
        MgmtdServer.start(
            new MgmtdConfig("m1", "127.0.0.1", 0, "127.0.0.1", "memory:", TIMING),
            kv,
            Clock.systemUTC());
    this.client =
        new MgmtdClient(
            List.of(mgmtd.address()),
            AddressResolver.system(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30));
    this.admin = new GrpcClusterAdmin(client);
    this.hosts = StorageReplicaHosts.daemonCreated();
  }

  public static long target(int node, int slot) {
    return TargetId.of(NodeId.of(node), 0, slot).value();
  }

  /**
   * Starts {@code nodeCount} nodes and one table of chains, chain {@code c} on nodes c, c+1, ... (R
   * of them, wrapping), each replica on the next free slot of its node.
   */
  void bootstrap(int nodeCount, int chains, int replicas) throws InterruptedException {
    int[] slots = new int[nodeCount + 1];
    List<ChainSpec> specs = new ArrayList<>();
    Map<Integer, List<TargetInfo>> targets = new java.util.HashMap<>();
    for (int c = 1; c <= chains; c++) {
      ChainSpec.Builder spec = ChainSpec.newBuilder().setChainId(c);
      for (int r = 0; r < replicas; r++) {
        int node = (c - 1 + r) % nodeCount + 1;
        long t = target(node, ++slots[node]);
        targets
            .computeIfAbsent(node, k -> new ArrayList<>())
            .add(
                TargetInfo.newBuilder()
                    .setTargetId(t)
                    .setNodeId(node)
                    .setCapacityBytes(TARGET_CAPACITY)
                    .build());
        spec.addTargetIds(t);
      }
      specs.add(spec.build());
    }
    for (int n = 1; n <= nodeCount; n++) {
      register(n, start(n));
      admin.createTargets(targets.getOrDefault(n, List.of()));
    }
    admin.setChainTable(1, specs);
    // mgmtd presumes new chains SERVING before the daemons have even created their targets: wait
    // until every daemon serves its targets up to date and mgmtd agrees, so the tests start from a
    // settled cluster rather than one still recovering from the start-up.
    await(
        "every daemon to serve its targets and every chain to serve with every replica",
        () -> {
          for (Map.Entry<Integer, List<TargetInfo>> e : targets.entrySet()) {
            MgmtdStorageDaemon d = nodes.get(e.getKey());
            for (TargetInfo t : e.getValue()) {
              if (d.server()
                  .replicator()
                  .target(t.getTargetId())
                  .map(x -> x.localState() != LocalTargetState.UPTODATE)
                  .orElse(true)) {
                return false;
              }
            }
          }
          return allChainsFull();
        });
    Thread.sleep(TIMING.heartbeatTimeout().toMillis());
    await("every chain to still serve with every replica", this::allChainsFull);
  }

  void register(int node, String address) {
    admin.addNode(
        NodeInfo.newBuilder()
            .setNodeId(node)
            .setAddress(address)
            .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(DISK))
            .build());
  }

  /**
   * Starts node {@code n}'s storage daemon as {@code catena daemon storage} runs it: it reopens the
   * targets on its disk, follows mgmtd and creates the targets mgmtd assigns. Returns its address.
   */
  String start(int n) {
    MgmtdStorageDaemon daemon =
        MgmtdStorageDaemon.start(
            new MgmtdStorageDaemon.Settings(
                n,
                List.of(mgmtd.address()),
                "127.0.0.1",
                0,
                -1,
                List.of(root.resolve("node-" + n)),
                ENGINE,
                null,
                null,
                io.catena.protocol.security.TransportSecurity
                    .plaintext())); // no meta: this cluster checks no tenant tokens
    nodes.put(n, daemon);
    return daemon.address();
  }

  /** Stops node {@code n}'s daemon; its targets stay on disk for a restart. */
  void kill(int n) {
    MgmtdStorageDaemon daemon = nodes.remove(n);
    if (daemon != null) {
      daemon.close();
    }
  }

  boolean running(int n) {
    return nodes.containsKey(n);
  }

  NodeProvisioner provisioner() {
    return nodeId ->
        nodes.containsKey(nodeId) ? nodes.get(nodeId).server().address() : start(nodeId);
  }

  /** Restarts storage daemons; "node-1" plays the host of the mgmtd primary. */
  NodeRestarter restarter() {
    return new NodeRestarter() {
      @Override
      public List<String> nodes() {
        return nodes.keySet().stream().sorted().map(n -> "node-" + n).toList();
      }

      @Override
      public OptionalInt storageNodeId(String node) {
        return OptionalInt.of(Integer.parseInt(node.substring("node-".length())));
      }

      @Override
      public boolean hostsMgmtdPrimary(String node) {
        return node.equals("node-1");
      }

      @Override
      public void restart(String node) {
        int n = storageNodeId(node).getAsInt();
        restarts.add(node);
        kill(n);
        start(n);
      }
    };
  }

  ClusterSnapshot snapshot() {
    return admin.snapshot();
  }

  boolean allChainsFull() {
    try {
      ClusterSnapshot s = snapshot();
      int r = s.replicationFactor();
      return s.topology().chains().stream().allMatch(c -> s.fullStrength(c.id(), r));
    } catch (RuntimeException e) {
      return false;
    }
  }

  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT_MS + " ms waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private StorageServiceGrpc.StorageServiceBlockingStub stub(String address) {
    ManagedChannel ch =
        channels.computeIfAbsent(
            address, a -> Grpc.newChannelBuilder(a, InsecureChannelCredentials.create()).build());
    return StorageServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /**
   * Writes a chunk at the chain's current head, retrying with fresh routing until acknowledged
   * (returns true) or until {@code patienceMs} runs out (false: not acknowledged).
   */
  public boolean write(int chain, ChunkId chunk, byte[] data, long seq, long patienceMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + patienceMs * 1_000_000;
    while (System.nanoTime() < deadline) {
      try {
        ClusterSnapshot s = snapshot();
        Chain c = s.topology().chain(ChainId.of(chain));
        Target head = s.topology().target(c.head());
        if (head.publicState() == TargetPublicState.SERVING) {
          WriteResponse r =
              stub(s.address(head.node()).orElseThrow())
                  .write(
                      WriteRequest.newBuilder()
                          .setChainId(chain)
                          .setChainVersion(c.version())
                          .setChunkId(ByteString.copyFrom(chunk.toBytes()))
                          .setData(ByteString.copyFrom(data))
                          .setRequestId(RequestId.newBuilder().setClientId("ops-test").setSeq(seq))
                          .build());
          if (!r.hasError()) {
            return true;
          }
        }
      } catch (StatusRuntimeException | IllegalStateException e) {
        // routing moved or a daemon went away: retry with fresh routing
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Reads a chunk from one replica (which must be SERVING). */
  public byte[] read(long target, ChunkId chunk) {
    ClusterSnapshot s = snapshot();
    TargetId id = TargetId.of(target);
    ChainId chain = s.topology().chainOf(id).orElseThrow();
    ReadResponse r =
        stub(s.address(s.topology().target(id).node()).orElseThrow())
            .read(
                ReadRequest.newBuilder()
                    .setChainId(chain.value())
                    .setChainVersion(s.topology().chain(chain).version())
                    .setChunkId(ByteString.copyFrom(chunk.toBytes()))
                    .build());
    assertThat(r.hasError()).as("read %s from %s: %s", chunk, id, r.getError()).isFalse();
    return r.getData().toByteArray();
  }

  /** The nodes a chain's replicas are on. */
  static List<Integer> nodesOf(ClusterTopology topo, int chain) {
    return topo.chain(ChainId.of(chain)).targets().stream()
        .map(t -> topo.target(t).node().value())
        .toList();
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (Integer n : List.copyOf(nodes.keySet())) {
      nodes.remove(n).close();
    }
    hosts.close();
    client.close();
    mgmtd.close();
    kv.close();
  }
}
