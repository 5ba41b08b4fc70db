package io.catena.storage.mgmtd;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.catena.protocol.mgmtd.ListRequest;
import io.catena.protocol.mgmtd.ListTargetsResponse;
import io.catena.protocol.mgmtd.NodeInfo;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.SetChainTableRequest;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.protocol.routing.MgmtdClient;
import io.catena.storage.chunk.EngineConfig;
import io.catena.storage.chunk.FsyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code catena daemon storage}'s core: daemons given only their node and disks create the targets
 * mgmtd places on them once chained, serve them, and a restarted daemon reopens them from disk.
 */
class MgmtdStorageDaemonTest {

  private static final MgmtdSettings TIMING =
      new MgmtdSettings(
          Duration.ofMillis(200),
          Duration.ofMillis(1500),
          Duration.ofSeconds(5),
          Duration.ofSeconds(1),
          Duration.ofMillis(100));
  private static final EngineConfig ENGINE =
      new EngineConfig(
          List.of(64 * EngineConfig.KIB, EngineConfig.MIB),
          4L * EngineConfig.MIB,
          FsyncPolicy.NEVER,
          0);

  @TempDir Path root;
  private final KvEngine kv = MemoryKvEngine.create();
  private final List<AutoCloseable> open = new ArrayList<>();
  private final MgmtdStorageDaemon[] daemons = new MgmtdStorageDaemon[3];

  @AfterEach
  void tearDown() throws Exception {
    for (MgmtdStorageDaemon d : daemons) {
      if (d != null) {
        d.close();
      }
    }
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    kv.close();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static void ok(AdminResponse r) {
    assertThat(r.hasError()).as("%s", r.getError()).isFalse();
  }

  private MgmtdStorageDaemon start(int node, String mgmtd) {
    return MgmtdStorageDaemon.start(
        new MgmtdStorageDaemon.Settings(
            node,
            List.of(mgmtd),
            "127.0.0.1",
            0,
            -1,
            List.of(root.resolve("node-" + node + "/disk0")),
            ENGINE,
            null,
            null,
            io.catena.protocol.security.TransportSecurity.plaintext()));
  }

  private List<TargetInfo> targets(MgmtdClient client) {
    return client
        .admin(s -> s.listTargets(ListRequest.getDefaultInstance()), ListTargetsResponse::getError)
        .getTargetsList();
  }

  @Test
  void createsTheTargetsMgmtdAssignsAndReopensThemAfterARestart() throws Exception {
    MgmtdServer mgmtd =
        MgmtdServer.start(
            new MgmtdConfig("m1", "127.0.0.1", 0, "127.0.0.1", "memory:", TIMING),
            kv,
            Clock.systemUTC());
    open.add(mgmtd);
    MgmtdClient client = new MgmtdClient(List.of(mgmtd.address()));
    open.add(client);
    for (int n = 1; n <= 3; n++) {
      daemons[n - 1] = start(n, mgmtd.address());
      NodeInfo info =
          NodeInfo.newBuilder()
              .setNodeId(n)
              .setAddress(daemons[n - 1].address())
              .addDisks(DiskInfo.newBuilder().setIndex(0).setCapacityBytes(1L << 30))
              .build();
      ok(
          client.admin(
              s -> s.addNode(AddNodeRequest.newBuilder().setNode(info).build()),
              AdminResponse::getError));
      int node = n;
      ok(
          client.admin(
              s ->
                  s.createTargets(
                      CreateTargetsRequest.newBuilder()
                          .addTargets(
                              TargetInfo.newBuilder()
                                  .setTargetId(node * 1000L)
                                  .setNodeId(node)
                                  .setDisk(0)
                                  .setCapacityBytes(1L << 28))
                          .build()),
              AdminResponse::getError));
    }
    assertThat(daemons[0].server().replicator().targets())
        .as("nothing is created before it is in a chain")
        .isEmpty();
    ok(
        client.admin(
            s ->
                s.setChainTable(
                    SetChainTableRequest.newBuilder()
                        .setTableId(1)
                        .addChains(
                            ChainSpec.newBuilder()
                                .setChainId(7)
                                .addAllTargetIds(List.of(1000L, 2000L, 3000L)))
                        .build()),
            AdminResponse::getError));

    await(
        "every daemon to create its target",
        () -> {
          for (MgmtdStorageDaemon d : daemons) {
            if (d.server().replicator().targets().size() != 1) {
              return false;
            }
          }
          return true;
        });
    assertThat(Files.exists(root.resolve("node-2/disk0/catena/targets/2000/target.properties")))
        .isTrue();
    await(
        "the chain to serve",
        () -> targets(client).stream().allMatch(t -> t.getPublicState() == PublicState.SERVING));

    daemons[1].close();
    daemons[1] = start(2, mgmtd.address());
    assertThat(daemons[1].server().replicator().target(2000L))
        .as("reopened from disk at start")
        .hasValueSatisfying(t -> assertThat(t.chainId()).isEqualTo(7));
    await(
        "the restarted replica to serve again",
        () -> targets(client).stream().allMatch(t -> t.getPublicState() == PublicState.SERVING));
  }
}
