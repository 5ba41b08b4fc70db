package io.catena.mgmtd;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.kv.KvEngine;
import io.catena.kv.memory.MemoryKvEngine;
import io.catena.mgmtd.cluster.MgmtdSettings;
import io.catena.protocol.mgmtd.AddNodeRequest;
import io.catena.protocol.mgmtd.AdminResponse;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.ChainSpec;
import io.catena.protocol.mgmtd.CreateTargetsRequest;
import io.catena.protocol.mgmtd.DiskInfo;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.SetChainTableRequest;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.routing.AddressResolver;
import io.catena.protocol.routing.MgmtdClient;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several mgmtd instances over one KvEngine on loopback: the primary dies while storage daemons
 * heartbeat, a standby takes over with routing intact; a storage daemon dies and its chains are
 * reconfigured; clients find the new primary through a name that starts resolving elsewhere.
 */
class MgmtdFailoverTest {

  private static final MgmtdSettings SETTINGS =
      new MgmtdSettings(
          Duration.ofMillis(200),
          Duration.ofMillis(1500),
          Duration.ofMillis(1500),
          Duration.ofMillis(300),
          Duration.ofMillis(100));
  private static final long WAIT_MS = 30_000;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private KvEngine kv;

  @BeforeEach
  void kv() {
    kv = MemoryKvEngine.create();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    kv.close();
  }

  private MgmtdServer mgmtd(String id, String host, int port) {
    MgmtdServer server =
        MgmtdServer.start(
            new MgmtdConfig(id, host, port, host, "memory:", SETTINGS), kv, Clock.systemUTC());
    closeables.add(server);
    return server;
  }

  private MgmtdClient client(List<String> endpoints, AddressResolver resolver) {
    MgmtdClient client =
        new MgmtdClient(endpoints, resolver, Duration.ofSeconds(2), Duration.ofSeconds(20));
    closeables.add(client);
    return client;
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

  /** Three storage nodes with one target each, one chain of three. */
  private static void createCluster(MgmtdClient admin) {
    List<TargetInfo> targets = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      NodeInfo node =
          NodeInfo.newBuilder()
              .setNodeId(n)
              .setAddress("127.0.0.1:" + (9000 + n))
              .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(1L << 30))
              .build();
      ok(
          admin.admin(
              s -> s.addNode(AddNodeRequest.newBuilder().setNode(node).build()),
              AdminResponse::getError));
      targets.add(
          TargetInfo.newBuilder()
              .setTargetId(n * 100L)
              .setNodeId(n)
              .setCapacityBytes(1L << 29)
              .build());
    }
    ok(
        admin.admin(
            s -> s.createTargets(CreateTargetsRequest.newBuilder().addAllTargets(targets).build()),
            AdminResponse::getError));
    ok(
        admin.admin(
            s ->
                s.setChainTable(
                    SetChainTableRequest.newBuilder()
                        .setTableId(1)
                        .addChains(
                            ChainSpec.newBuilder()
                                .setChainId(1)
                                .addAllTargetIds(List.of(100L, 200L, 300L)))
                        .build()),
            AdminResponse::getError));
  }

  private static void ok(AdminResponse response) {
    assertThat(response.hasError()).as("%s", response.getError()).isFalse();
  }

  private static ChainInfo chain1(RoutingInfo info) {
    return info.getChainsList().stream().filter(c -> c.getChainId() == 1).findFirst().orElseThrow();
  }

  private static List<PublicState> states(ChainInfo chain) {
    return chain.getMembersList().stream().map(ChainMember::getPublicState).toList();
  }

  @Test
  void aStandbyTakesOverWhenThePrimaryDiesAndRoutingStaysIntact() throws Exception {
    MgmtdServer m1 = mgmtd("m1", "127.0.0.1", 0);
    MgmtdServer m2 = mgmtd("m2", "127.0.0.1", 0);
    assertThat(m1.isPrimary()).isTrue();
    assertThat(m2.isPrimary()).isFalse();
    MgmtdClient client = client(List.of(m1.address(), m2.address()), AddressResolver.system());
    createCluster(client);

    List<RoutingInfo> seen = new CopyOnWriteArrayList<>();
    closeables.add(client.watchRouting(seen::add));
    List<StorageHeartbeater> storage = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      StorageHeartbeater hb =
          new StorageHeartbeater(
              client(List.of(m1.address(), m2.address()), AddressResolver.system()),
              n,
              List.of(n * 100L),
              SETTINGS.heartbeatInterval());
      closeables.add(hb);
      storage.add(hb);
    }
    await("storage heartbeats", () -> storage.stream().allMatch(s -> s.acknowledged() >= 2));
    RoutingInfo before = client.routingInfo(0).orElseThrow();

    long killedAt = System.nanoTime();
    m1.kill();
    await("m2 to become primary", m2::isPrimary);
    long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
    int[] acked = storage.stream().mapToInt(StorageHeartbeater::acknowledged).toArray();
    await(
        "heartbeats to reach m2",
        () -> {
          for (int i = 0; i < acked.length; i++) {
            if (storage.get(i).acknowledged() < acked[i] + 3) {
              return false;
            }
          }
          return true;
        });

    RoutingInfo after = client.routingInfo(0).orElseThrow();
    assertThat(after.getPrimaryAddress()).isEqualTo(m2.address());
    assertThat(after.getVersion()).isGreaterThanOrEqualTo(before.getVersion());
    assertThat(chain1(after).getMembersList().stream().map(ChainMember::getTargetId))
        .containsExactly(100L, 200L, 300L);
    assertThat(states(chain1(after))).containsOnly(PublicState.SERVING);
    assertThat(after.getNodesList()).hasSize(3);
    System.out.printf(
        "mgmtd failover: standby primary %d ms after the kill (lease %d ms)%n",
        takeoverMs, SETTINGS.leaseDuration().toMillis());

    // The watch stream followed the failover: a change on m2 reaches it.
    storage.get(2).close();
    await(
        "the watcher to see node 3's target OFFLINE",
        () ->
            !seen.isEmpty()
                && states(chain1(seen.getLast())).getLast() == PublicState.OFFLINE
                && seen.getLast().getPrimaryAddress().equals(m2.address()));
  }

  @Test
  void aDeadStorageDaemonsChainIsReconfiguredAndRecoversWhenItReturns() throws Exception {
    MgmtdServer m1 = mgmtd("m1", "127.0.0.1", 0);
    MgmtdClient client = client(List.of(m1.address()), AddressResolver.system());
    createCluster(client);
    List<StorageHeartbeater> storage = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      StorageHeartbeater hb =
          new StorageHeartbeater(client, n, List.of(n * 100L), SETTINGS.heartbeatInterval());
      closeables.add(hb);
      storage.add(hb);
    }
    await("storage heartbeats", () -> storage.stream().allMatch(s -> s.acknowledged() >= 2));

    storage.getFirst().close(); // the head's daemon dies
    await(
        "the head to go OFFLINE at the tail",
        () -> {
          ChainInfo c = chain1(client.routingInfo(0).orElseThrow());
          return c.getMembers(2).getTargetId() == 100L
              && c.getMembers(2).getPublicState() == PublicState.OFFLINE;
        });
    ChainInfo reconfigured = chain1(client.routingInfo(0).orElseThrow());
    assertThat(reconfigured.getMembersList().stream().map(ChainMember::getTargetId))
        .containsExactly(200L, 300L, 100L);
    assertThat(reconfigured.getVersion()).isGreaterThan(1);

    // It comes back up to date (its sync is the storage daemons' business): SYNCING, then SERVING.
    closeables.add(new StorageHeartbeater(client, 1, List.of(100L), SETTINGS.heartbeatInterval()));
    await(
        "the returning target to serve again",
        () ->
            states(chain1(client.routingInfo(0).orElseThrow())).stream()
                .allMatch(s -> s == PublicState.SERVING));
  }

  @Test
  void clientsFollowANameThatStartsResolvingElsewhere() throws Exception {
    AtomicReference<String> resolvesTo = new AtomicReference<>("127.0.0.1");
    AddressResolver dns =
        host -> {
          if (!host.equals("mgmtd.catena.svc")) {
            return AddressResolver.system().resolve(host);
          }
          return List.of(InetAddress.getByName(resolvesTo.get()));
        };
    MgmtdServer m1 = mgmtd("m1", "127.0.0.1", 0);
    int port = m1.port();
    MgmtdClient client = client(List.of("mgmtd.catena.svc:" + port), dns);
    createCluster(client);
    long version = client.routingInfo(0).orElseThrow().getVersion();

    // The pod moves: the old instance dies, a new one comes up at another address, same name.
    m1.kill();
    MgmtdServer moved = mgmtd("m1-moved", "127.0.0.2", port);
    resolvesTo.set("127.0.0.2");
    await("the moved instance to take the lease", moved::isPrimary);

    RoutingInfo info = client.routingInfo(0).orElseThrow();
    assertThat(info.getPrimaryAddress()).isEqualTo("127.0.0.2:" + port);
    assertThat(info.getVersion()).isGreaterThanOrEqualTo(version);
    assertThat(chain1(info).getMembersCount()).isEqualTo(3);
  }
}
