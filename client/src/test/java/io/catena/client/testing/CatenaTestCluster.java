package io.catena.client.testing;

import io.catena.client.CatenaClient;
import io.catena.client.CatenaClientConfig;
import io.catena.kv.KvEngine;
import io.catena.kv.memory.MemoryKvEngine;
import io.catena.meta.MetaDaemon;
import io.catena.meta.MetaDaemonConfig;
import io.catena.mgmtd.MgmtdConfig;
import io.catena.mgmtd.MgmtdServer;
import io.catena.mgmtd.cluster.MgmtdSettings;
import io.catena.protocol.common.ErrorDetail;
import io.catena.protocol.meta.CreateTenantRequest;
import io.catena.protocol.meta.IssueTokenRequest;
import io.catena.protocol.meta.Quota;
import io.catena.protocol.meta.TenantServiceGrpc;
import io.catena.protocol.mgmtd.AddNodeRequest;
import io.catena.protocol.mgmtd.AdminResponse;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.CreateTargetsRequest;
import io.catena.protocol.mgmtd.DiskInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.SetChainTableRequest;
import io.catena.protocol.mgmtd.SetTargetAdminStateRequest;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.routing.AddressResolver;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.storage.RequestAuthorizer;
import io.catena.storage.auth.MetaTenantAuthorization;
import io.catena.storage.chunk.ChunkId;
import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.chunk.FsyncPolicy;
import io.catena.storage.mgmtd.MgmtdHeartbeater;
import io.catena.storage.mgmtd.MgmtdRoutingSource;
import io.catena.storage.server.StorageConfig;
import io.catena.storage.server.StorageServer;
import io.catena.storage.server.TargetConfig;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Catena cluster in this JVM for client tests: one mgmtd (memory KvEngine, fast failure
 * detection), one meta daemon taking its chain tables from mgmtd and removing the chunks of deleted
 * and truncated files from storage (GC every second by default), and N storage daemons on 127.0.0.1
 * with ephemeral ports and temporary directories, all over real gRPC. Chain table 1 is uploaded
 * through mgmtd's admin API: {@code chains} chains of {@code replicas} targets, chain {@code c} on
 * nodes {@code c, c+1, ...} (mod N), target id {@code node * 1000 + c}. A tenant "test" using table
 * 1 and a token for it are ready. Storage daemons can be killed and restarted on their directories.
 *
 * <pre>{@code
 * try (CatenaTestCluster cluster = CatenaTestCluster.builder().storageNodes(3).start();
 *     CatenaClient client = cluster.newClient()) { ... }
 * }</pre>
 */
public final class CatenaTestCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CatenaTestCluster.class);

  /**
   * Failure detection in 1.5 s: heartbeat 200 ms, timeout 1.5 s, lease 5 s, renew 1 s, check 100
   * ms.
   */
  public static final MgmtdSettings FAST =
      new MgmtdSettings(
          Duration.ofMillis(200),
          Duration.ofMillis(1500),
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofMillis(100));

  /** Size classes 64 KiB .. 4 MiB, small data files, no fsync (tests). */
  public static final EngineConfig ENGINE =
      new EngineConfig(
          List.of(
              64 * EngineConfig.KIB,
              256 * EngineConfig.KIB,
              EngineConfig.MIB,
              4 * EngineConfig.MIB),
          16L * EngineConfig.MIB,
          FsyncPolicy.NEVER,
          0);

  public static final int TABLE = 1;
  public static final long WAIT_MS = 120_000;

  private final Builder spec;
  private final Path root;
  private final boolean ownsRoot;
  private final KvEngine kv = MemoryKvEngine.create();
  private final StorageNode[] nodes;
  private final String[] advertisedDataAddress;
  private final MetaTenantAuthorization[] tenantAuth;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private MgmtdServer mgmtd;
  private MgmtdClient admin;
  private MetaDaemon meta;
  private String adminToken;
  private String tenantToken;

  /**
   * One storage daemon with its own mgmtd client, as a real daemon has: a daemon killed while its
   * calls are in flight must not disturb the others' calls.
   */
  private record StorageNode(
      StorageServer server,
      MgmtdRoutingSource routing,
      MgmtdHeartbeater heartbeat,
      MgmtdClient mgmtd)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      heartbeat.close();
      routing.close();
      server.close();
      mgmtd.close();
    }
  }

  /** How the cluster is shaped. */
  public static final class Builder {
    private int storageNodes = 3;
    private int replicas = 3;
    private int chains = 6;
    private int stripe = 4;
    private MgmtdSettings settings = FAST;
    private EngineConfig engine = ENGINE;
    private Path root;
    private Duration gcInterval = Duration.ofSeconds(1);
    private RequestAuthorizer authorizer = RequestAuthorizer.allowAll();
    private boolean tenantIsolation;

    /**
     * Storage daemons authorize as a daemon joined to meta does ({@link MetaTenantAuthorization}:
     * tokens verified by meta, revocations pushed, chunks checked against the token's tenant)
     * instead of {@link #storageAuthorizer}. Until meta is up they refuse every client I/O.
     */
    public Builder tenantIsolation() {
      this.tenantIsolation = true;
      return this;
    }

    /** What the storage daemons allow (default: every token). */
    public Builder storageAuthorizer(RequestAuthorizer a) {
      this.authorizer = a;
      return this;
    }

    /** How often meta's chunk GC runs (default 1 s). */
    public Builder gcInterval(Duration every) {
      this.gcInterval = every;
      return this;
    }

    public Builder storageNodes(int n) {
      this.storageNodes = n;
      return this;
    }

    public Builder replicas(int n) {
      this.replicas = n;
      return this;
    }

    public Builder chains(int n) {
      this.chains = n;
      return this;
    }

    /** The tenant's default stripe (chains a file rotates over). */
    public Builder stripe(int n) {
      this.stripe = n;
      return this;
    }

    public Builder mgmtdSettings(MgmtdSettings s) {
      this.settings = s;
      return this;
    }

    public Builder engine(EngineConfig e) {
      this.engine = e;
      return this;
    }

    /** Where data goes (default: a fresh temporary directory, deleted on close). */
    public Builder root(Path dir) {
      this.root = dir;
      return this;
    }

    public CatenaTestCluster start() {
      if (replicas > storageNodes || replicas < 1 || chains < 1 || stripe > chains) {
        throw new IllegalArgumentException(
            "need 1 <= replicas <= storage nodes and stripe <= chains");
      }
      CatenaTestCluster cluster = new CatenaTestCluster(this);
      try {
        cluster.boot();
        return cluster;
      } catch (Exception e) {
        cluster.close();
        throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private CatenaTestCluster(Builder spec) {
    this.spec = spec;
    try {
      this.ownsRoot = spec.root == null;
      this.root = spec.root != null ? spec.root : Files.createTempDirectory("catena-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.nodes = new StorageNode[spec.storageNodes + 1];
    this.advertisedDataAddress = new String[spec.storageNodes + 1];
    this.tenantAuth = new MetaTenantAuthorization[spec.storageNodes + 1];
  }

  private void boot() throws Exception {
    mgmtd =
        MgmtdServer.start(
            new MgmtdConfig("m1", "127.0.0.1", 0, "127.0.0.1", "memory:", spec.settings),
            kv,
            Clock.systemUTC());
    admin = newMgmtdClient();
    // Daemons start first (their ports are needed to register nodes), report to mgmtd once
    // registered: heartbeats of unknown nodes would only be refused.
    for (int n = 1; n <= spec.storageNodes; n++) {
      nodes[n] = startStorage(n, false);
      NodeInfo info =
          NodeInfo.newBuilder()
              .setNodeId(n)
              .setAddress(nodes[n].server().address())
              .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(1L << 34))
              .build();
      ok(
          admin.admin(
              s -> s.addNode(AddNodeRequest.newBuilder().setNode(info).build()),
              AdminResponse::getError));
      CreateTargetsRequest.Builder targets = CreateTargetsRequest.newBuilder();
      for (int c : chainsOf(n)) {
        targets.addTargets(
            TargetInfo.newBuilder()
                .setTargetId(targetId(n, c))
                .setNodeId(n)
                .setCapacityBytes(1L << 32));
      }
      ok(admin.admin(s -> s.createTargets(targets.build()), AdminResponse::getError));
    }
    SetChainTableRequest.Builder table = SetChainTableRequest.newBuilder().setTableId(TABLE);
    for (int c = 1; c <= spec.chains; c++) {
      ChainSpec.Builder chain = ChainSpec.newBuilder().setChainId(c);
      for (int node : nodesOf(c)) {
        chain.addTargetIds(targetId(node, c));
      }
      table.addChains(chain);
    }
    ok(admin.admin(s -> s.setChainTable(table.build()), AdminResponse::getError));
    for (int n = 1; n <= spec.storageNodes; n++) {
      follow(nodes[n]);
    }
    awaitAllServing();

    Path tokenFile = root.resolve("meta/admin.token");
    meta =
        MetaDaemon.start(
            new MetaDaemonConfig(
                "127.0.0.1",
                0,
                "memory:",
                tokenFile,
                List.of(),
                spec.gcInterval,
                List.of(mgmtd.address())));
    adminToken = Files.readString(tokenFile).trim();
    if (spec.tenantIsolation) {
      for (int n = 1; n <= spec.storageNodes; n++) {
        tenantAuth[n] =
            MetaTenantAuthorization.start(metaChannel(), nodes[n].routing().chainTables());
      }
    }
    tenantToken = createTenant("test", Quota.getDefaultInstance());
  }

  /**
   * The meta-backed authorization of storage node {@code n} (with {@link Builder#tenantIsolation}).
   */
  public MetaTenantAuthorization tenantAuthorization(int n) {
    return tenantAuth[n];
  }

  private RequestAuthorizer authorizerOf(int n) {
    if (!spec.tenantIsolation) {
      return spec.authorizer;
    }
    return new RequestAuthorizer() {
      @Override
      public boolean allows(String token, int chainId, ChunkId chunk, Access access) {
        return refusal(token, chainId, chunk, access) == null;
      }

      @Override
      public String refusal(String token, int chainId, ChunkId chunk, Access access) {
        MetaTenantAuthorization a = tenantAuth[n];
        return a == null ? "meta is not up yet" : a.refusal(token, chainId, chunk, access);
      }
    };
  }

  /** The chains node {@code n} serves a target of. */
  public List<Integer> chainsOf(int node) {
    List<Integer> chains = new ArrayList<>();
    for (int c = 1; c <= spec.chains; c++) {
      if (nodesOf(c).contains(node)) {
        chains.add(c);
      }
    }
    return chains;
  }

  /** The nodes of chain {@code c}, head first. */
  public List<Integer> nodesOf(int chain) {
    List<Integer> nodes = new ArrayList<>();
    for (int k = 0; k < spec.replicas; k++) {
      nodes.add((chain - 1 + k) % spec.storageNodes + 1);
    }
    return nodes;
  }

  public static long targetId(int node, int chain) {
    return node * 1000L + chain;
  }

  private MgmtdClient newMgmtdClient() {
    return new MgmtdClient(
        List.of(mgmtd.address()),
        AddressResolver.system(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60));
  }

  private StorageNode startStorage(int n, boolean follow) {
    List<TargetConfig> targets = new ArrayList<>();
    for (int c : chainsOf(n)) {
      targets.add(new TargetConfig(targetId(n, c), c, root.resolve("node-" + n + "/t" + c)));
    }
    MgmtdRoutingSource routing = new MgmtdRoutingSource();
    MgmtdHeartbeater heartbeat = new MgmtdHeartbeater("storage-" + n, n);
    StorageConfig config =
        StorageConfig.loopback(n, targets, spec.engine).withForwardTimeout(Duration.ofSeconds(30));
    StorageServer server = StorageServer.start(config, routing, heartbeat, authorizerOf(n));
    if (spec.tenantIsolation && meta != null) {
      tenantAuth[n] = MetaTenantAuthorization.start(metaChannel(), routing.chainTables());
    }
    StorageNode node = new StorageNode(server, routing, heartbeat, newMgmtdClient());
    if (follow) {
      follow(node);
    }
    return node;
  }

  /** The daemon starts following mgmtd's routing and heartbeating. */
  private void follow(StorageNode node) {
    node.routing().start(node.mgmtd());
    int n = node.server().config().nodeId();
    node.heartbeat()
        .start(
            node.mgmtd(),
            node.server()::address,
            () ->
                advertisedDataAddress[n] != null
                    ? advertisedDataAddress[n]
                    : node.server().dataAddress(),
            t -> 0);
  }

  /**
   * Makes node {@code n}'s heartbeats publish {@code dataAddress} as its data channel (null: its
   * real one again), e.g. an address that refuses connections; mgmtd publishes it with the next
   * heartbeat.
   */
  public void advertiseDataAddress(int n, String dataAddress) {
    advertisedDataAddress[n] = dataAddress;
  }

  // ------------------------------------------------------------------ what tests use

  /** A client of tenant "test" (retry budget 60 s, routing re-fetched every second). */
  public CatenaClient newClient() {
    return CatenaClient.connect(clientConfig());
  }

  public CatenaClientConfig clientConfig() {
    return clientConfig(tenantToken);
  }

  public CatenaClientConfig clientConfig(String token) {
    return CatenaClientConfig.of(List.of(mgmtd.address()), metaAddress(), token)
        .withIoRetryBudget(Duration.ofSeconds(60))
        .withRoutingRefreshInterval(Duration.ofSeconds(1))
        .withCallTimeout(Duration.ofSeconds(20));
  }

  public String mgmtdAddress() {
    return mgmtd.address();
  }

  public String metaAddress() {
    return "127.0.0.1:" + meta.port();
  }

  /** The system tenant's token (tenant administration). */
  public String adminToken() {
    return adminToken;
  }

  /** The token of tenant "test". */
  public String tenantToken() {
    return tenantToken;
  }

  /** Creates a tenant on chain table 1 and returns a token (uid 0: the tenant's root) for it. */
  public String createTenant(String name, Quota quota) {
    var tenants =
        TenantServiceGrpc.newBlockingStub(metaChannel()).withInterceptors(bearer(adminToken));
    long id =
        tenants
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .createTenant(
                CreateTenantRequest.newBuilder()
                    .setName(name)
                    .setQuota(quota)
                    .addChainTableIds(TABLE)
                    .setDefaultStripeSize(spec.stripe)
                    .build())
            .getTenant()
            .getId();
    return tenants
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .issueToken(IssueTokenRequest.newBuilder().setTenantId(id).build())
        .getToken();
  }

  private synchronized ManagedChannel metaChannel() {
    ManagedChannel ch = NettyChannelBuilder.forTarget(metaAddress()).usePlaintext().build();
    channels.add(ch);
    return ch;
  }

  private static io.grpc.ClientInterceptor bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  /** The mgmtd admin client (the fixture's; do not close it). */
  public MgmtdClient admin() {
    return admin;
  }

  public MgmtdServer mgmtd() {
    return mgmtd;
  }

  public MetaDaemon meta() {
    return meta;
  }

  /** The storage daemon of node {@code n} (1-based); null while killed. */
  public StorageServer storage(int n) {
    return nodes[n] == null ? null : nodes[n].server();
  }

  public int storageNodes() {
    return spec.storageNodes;
  }

  public int chains() {
    return spec.chains;
  }

  /** Stops node {@code n}'s storage daemon at once (no goodbye to mgmtd), as a crash would. */
  public void kill(int n) throws Exception {
    StorageNode node = nodes[n];
    if (node == null) {
      throw new IllegalStateException("storage node " + n + " is not running");
    }
    node.close();
    nodes[n] = null;
    if (tenantAuth[n] != null) {
      tenantAuth[n].close();
      tenantAuth[n] = null;
    }
    log.info("killed storage node {}", n);
  }

  /**
   * Node {@code n}'s daemon stops heartbeating but keeps serving what reaches it: to mgmtd it looks
   * dead (a hung or partitioned daemon); with a fault injector on its replicator it can also hang.
   */
  public void stopHeartbeats(int n) {
    nodes[n].heartbeat().close();
  }

  /**
   * Restarts node {@code n}'s daemon on its directories (on a new port: its heartbeats tell mgmtd,
   * which publishes the new address); its targets come back fenced, sync, then serve.
   */
  public void restart(int n) {
    if (nodes[n] != null) {
      throw new IllegalStateException("storage node " + n + " is running");
    }
    nodes[n] = startStorage(n, true);
    log.info("restarted storage node {}", n);
  }

  /** Takes a target out of service through mgmtd (as an operator would), or lets it back. */
  public void setTargetOnline(long targetId, boolean online) {
    ok(
        admin.admin(
            s ->
                s.setTargetAdminState(
                    SetTargetAdminStateRequest.newBuilder()
                        .setTargetId(targetId)
                        .setOnline(online)
                        .build()),
            AdminResponse::getError));
  }

  /** mgmtd's current routing info. */
  public RoutingInfo routing() {
    return admin.routingInfo(0).orElseThrow();
  }

  public ChainInfo chain(int chainId) {
    return routing().getChainsList().stream()
        .filter(c -> c.getChainId() == chainId)
        .findFirst()
        .orElseThrow();
  }

  public boolean allServing() {
    RoutingInfo info = routing();
    return info.getChainsCount() == spec.chains
        && info.getChainsList().stream()
            .allMatch(
                c ->
                    c.getMembersCount() == spec.replicas
                        && c.getMembersList().stream()
                            .allMatch(m -> m.getPublicState() == PublicState.SERVING));
  }

  /** Waits until every member of every chain is SERVING (after start, or a restart's sync). */
  public void awaitAllServing() throws InterruptedException {
    await("every chain member to be SERVING", this::allServing);
  }

  /** Reads served by target {@code targetId} so far (its daemon's metrics). */
  public long readsServed(int node, long targetId) {
    StorageServer s = storage(node);
    if (s == null) {
      return 0;
    }
    Timer t =
        s.registry().find("catena.storage.read").tag("target", Long.toString(targetId)).timer();
    return t == null ? 0 : t.count();
  }

  /** Polls {@code condition} every 20 ms for at most {@link #WAIT_MS}. */
  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT_MS + " ms waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static void ok(AdminResponse r) {
    ErrorDetail e = r.getError();
    if (r.hasError()) {
      throw new IllegalStateException("mgmtd refused: " + e.getCode() + " " + e.getMessage());
    }
  }

  @Override
  public void close() {
    for (MetaTenantAuthorization a : tenantAuth) {
      if (a != null) {
        a.close();
      }
    }
    channels.forEach(ManagedChannel::shutdownNow);
    for (int n = 1; n < nodes.length; n++) {
      if (nodes[n] != null) {
        try {
          nodes[n].close();
        } catch (Exception e) {
          log.warn("closing storage node {}: {}", n, e.getMessage());
        }
        nodes[n] = null;
      }
    }
    if (meta != null) {
      meta.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (mgmtd != null) {
      mgmtd.close();
    }
    kv.close();
    if (ownsRoot) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        log.warn("could not delete {}: {}", root, e.getMessage());
      }
    }
  }
}
