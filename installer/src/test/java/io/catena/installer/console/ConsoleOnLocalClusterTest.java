package io.catena.installer.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.catena.console.ConsoleConnection;
import io.catena.console.ControlPlaneApi;
import io.catena.console.FxRuntime;
import io.catena.console.Theme;
import io.catena.console.ViewName;
import io.catena.console.shell.ShellController;
import io.catena.installer.cluster.LocalClusterFixture;
import io.catena.installer.cluster.LocalClusterProcesses;
import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.LoadEntry;
import io.catena.protocol.controlplane.NodeInfo;
import io.catena.protocol.controlplane.TargetInfo;
import io.catena.protocol.controlplane.TenantInfo;
import io.catena.protocol.storage.ReadRequest;
import io.catena.protocol.storage.ReadResponse;
import io.catena.protocol.storage.RequestId;
import io.catena.protocol.storage.StorageServiceGrpc;
import io.catena.protocol.storage.WriteRequest;
import io.catena.protocol.storage.WriteResponse;
import io.catena.storage.chunk.ChunkId;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console driven like an operator would, headless (TestFX on Monocle), against a real local
 * cluster of processes ({@code catena up --headless --detach --nodes 3}): the topology, a scale-out
 * planned, approved and followed to done, a tenant created, a hot spot under a skewed load. Every
 * control is found by its automation id; every wait is bounded.
 */
@Tag("javafx")
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleOnLocalClusterTest {

  /** Generous: a loaded 2-core machine runs ten JVMs for this cluster. */
  private static final long WAIT_S = 120;

  private static final long SCALE_OUT_WAIT_S = 540;

  private static Path home;
  private static Path data;
  private static LocalClusterFixture cluster;

  private ControlPlaneApi api;
  private ShellController shell;

  @BeforeAll
  static void upALocalCluster() throws Exception {
    home = Files.createTempDirectory("catena-console-home");
    data = Files.createTempDirectory("catena-console-data");
    cluster = LocalClusterFixture.up(home, data, 3);
  }

  @AfterAll
  static void killTheCluster() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      for (Path dir : new Path[] {home, data}) {
        if (dir != null) {
          try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
    }
  }

  @Start
  void start(Stage stage) throws Exception {
    api =
        new ControlPlaneApi(
            ConsoleConnection.remote(cluster.controlPlane(), cluster.wire(cluster.controlPlane())),
            cluster.adminToken());
    shell = new ShellController(api, Theme.LIGHT, 2, "operator");
    stage.setScene(new Scene(shell.root(), 1440, 900));
    stage.show();
    shell.show(ViewName.OVERVIEW);
  }

  @AfterEach
  void closeTheConsole() throws Exception {
    FxRuntime.call(
        () -> {
          shell.close();
          return null;
        },
        30_000);
    api.close();
  }

  @Test
  @Order(1)
  void creatingATenantShowsItsTokenOnceAndListsIt(FxRobot robot) throws Exception {
    robot.clickOn("#nav-tenants");
    awaitFx(
        WAIT_S,
        () -> tenants(robot).getItems().stream().anyMatch(t -> t.getName().equals("default")));
    robot.clickOn("#tenant-name").write("team-qwen");
    robot.clickOn("#tenant-quota-gib").write("100");
    robot.clickOn("#tenant-create");
    awaitFx(WAIT_S, () -> shown(robot, "#tenant-token-box"));
    String token = robot.lookup("#tenant-token").queryAs(TextField.class).getText();
    assertThat(token).startsWith("ctn1.");
    awaitFx(
        WAIT_S,
        () -> tenants(robot).getItems().stream().anyMatch(t -> t.getName().equals("team-qwen")));
    TenantInfo created =
        FxRuntime.call(
            () ->
                tenants(robot).getItems().stream()
                    .filter(t -> t.getName().equals("team-qwen"))
                    .findFirst()
                    .orElseThrow(),
            10_000);
    assertThat(created.getQuotaBytes()).isEqualTo(100L << 30);
    List<String> onTheControlPlane =
        cluster.onControlPlane(
            cp ->
                cp.listTenants(ListRequest.getDefaultInstance()).getTenantsList().stream()
                    .map(TenantInfo::getName)
                    .toList());
    assertThat(onTheControlPlane)
        .as("the control plane has it, not just the table")
        .contains("team-qwen");

    robot.clickOn("#tenant-token-dismiss");
    awaitFx(WAIT_S, () -> !shown(robot, "#tenant-token-box"));
    assertThat(robot.lookup("#tenant-token").queryAs(TextField.class).getText()).isEmpty();
  }

  @Test
  @Order(2)
  void aSkewedLoadOnOneChainShowsItAtTheTopOfTheHotSpots(FxRobot robot) throws Exception {
    ChainInfo chain = cluster.chain(1);
    String storage = cluster.storageEndpoint(chain.getTargets(0).getNode());
    ChunkId chunk = cluster.tenantChunk(7);
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, (byte) 7);
    ManagedChannel channel =
        Grpc.newChannelBuilder(storage, cluster.wire(storage))
            .maxInboundMessageSize(8 << 20)
            .build();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<Thread> hammers = new ArrayList<>();
    try {
      var stub = StorageServiceGrpc.newBlockingStub(channel);
      WriteResponse written =
          stub.withDeadlineAfter(60, TimeUnit.SECONDS)
              .write(
                  WriteRequest.newBuilder()
                      .setChainId(chain.getChainId())
                      .setChainVersion(chain.getVersion())
                      .setChunkId(ByteString.copyFrom(chunk.toBytes()))
                      .setData(ByteString.copyFrom(block))
                      .setRequestId(RequestId.newBuilder().setClientId("console-test").setSeq(1))
                      .setToken(cluster.tenantToken())
                      .build());
      assertThat(written.hasError()).as("%s", written.getError()).isFalse();
      ReadRequest read =
          ReadRequest.newBuilder()
              .setChainId(chain.getChainId())
              .setChainVersion(chain.getVersion())
              .setChunkId(ByteString.copyFrom(chunk.toBytes()))
              .setToken(cluster.tenantToken())
              .build();
      // The skew: one chunk of one chain read over and over, every other chain idle.
      for (int i = 0; i < 3; i++) {
        hammers.add(
            Thread.ofPlatform()
                .daemon()
                .name("hammer-" + i)
                .start(
                    () -> {
                      while (!stop.get()) {
                        try {
                          ReadResponse r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).read(read);
                          if (r.hasError()) {
                            failures.add(new AssertionError(r.getError().toString()));
                            return;
                          }
                          reads.incrementAndGet();
                        } catch (RuntimeException e) {
                          if (!stop.get()) {
                            failures.add(e);
                          }
                          return;
                        }
                      }
                    }));
      }
      robot.clickOn("#nav-hotspots");
      robot.clickOn("#window-1m");
      awaitFx(
          WAIT_S * 2,
          () ->
              !failures.isEmpty()
                  || !topChains(robot).getItems().isEmpty()
                      && topChains(robot).getItems().getFirst().getHot());
      assertThat(failures).as("reads of the hot chunk").isEmpty();
      LoadEntry top = FxRuntime.call(() -> topChains(robot).getItems().getFirst(), 10_000);
      assertThat(top.getId())
          .as("%d reads so far", reads.get())
          .isEqualTo(Integer.toString(chain.getChainId()));
      assertThat(top.getReadBytesPerS()).isGreaterThan(top.getWriteBytesPerS());
      LoadEntry topTarget = FxRuntime.call(() -> topTargets(robot).getItems().getFirst(), 10_000);
      Set<String> chainTargets =
          chain.getTargetsList().stream()
              .map(t -> Long.toString(t.getTargetId()))
              .collect(Collectors.toSet());
      assertThat(topTarget.getId()).isIn(chainTargets);
      assertThat(text(robot, "#hotspots-summary")).doesNotContain(" 0 hot");
    } finally {
      stop.set(true);
      for (Thread t : hammers) {
        t.join(60_000);
      }
      channel.shutdownNow();
    }
  }

  @Test
  @Order(3)
  void scaleOutIsPlannedApprovedFollowedToDoneAndShowsTheNewNodesAndChains(FxRobot robot)
      throws Exception {
    robot.clickOn("#nav-topology");
    awaitFx(WAIT_S, () -> text(robot, "#topology-summary").startsWith("3 nodes"));
    List<String> nodesBefore = nodeNames();
    int chainsBefore = FxRuntime.call(() -> chains(robot).getItems().size(), 10_000);
    assertThat(chainsBefore).isPositive();
    assertThat(text(robot, "#topology-summary"))
        .contains(
            cluster
                    .onControlPlane(cp -> cp.listTargets(ListRequest.getDefaultInstance()))
                    .getTargetsCount()
                + " targets");

    robot.clickOn("#nav-actions");
    @SuppressWarnings("unchecked")
    Spinner<Integer> addNodes = robot.lookup("#scaleout-nodes").queryAs(Spinner.class);
    FxRuntime.call(
        () -> {
          addNodes.getValueFactory().setValue(2);
          return null;
        },
        10_000);
    awaitFx(WAIT_S, () -> Integer.valueOf(2).equals(addNodes.getValue()));
    robot.clickOn("#scaleout-plan");
    awaitFx(WAIT_S, () -> shown(robot, "#plan-approve"));
    assertThat(text(robot, "#plan-refused")).as("the plan is not refused").isEmpty();
    assertThat(text(robot, "#plan-summary")).contains("scale-out").contains("by 2 nodes");
    assertThat(nodeNames()).as("planning changes nothing").isEqualTo(nodesBefore);

    List<Double> seen = new CopyOnWriteArrayList<>();
    ProgressBar progress = robot.lookup("#operation-progress").queryAs(ProgressBar.class);
    FxRuntime.call(
        () -> {
          progress.progressProperty().addListener((o, was, now) -> seen.add(now.doubleValue()));
          return null;
        },
        10_000);
    robot.clickOn("#plan-approve");
    awaitFx(SCALE_OUT_WAIT_S, () -> shown(robot, "#operation-result"));
    assertThat(text(robot, "#operation-result"))
        .as("%s", text(robot, "#operation-result-detail"))
        .isEqualTo("Succeeded");
    assertThat(seen).as("the progress bar reached done").contains(1.0);

    List<String> added = new ArrayList<>(nodeNames());
    added.removeAll(nodesBefore);
    assertThat(added).hasSize(2);
    robot.clickOn("#operation-open-topology");
    awaitFx(WAIT_S, () -> text(robot, "#topology-summary").startsWith("5 nodes"));
    awaitFx(
        WAIT_S,
        () ->
            chains(robot).getItems().stream()
                .anyMatch(
                    c ->
                        c.getTargetsList().stream()
                            .map(TargetInfo::getNode)
                            .anyMatch(added::contains)));
    int chainsAfter = FxRuntime.call(() -> chains(robot).getItems().size(), 10_000);
    assertThat(chainsAfter)
        .as("the scale-out's chains are listed")
        .isGreaterThanOrEqualTo(chainsBefore);
  }

  /**
   * {@code catena console --screenshot} of the cluster the flows above changed (a tenant added, a
   * hot chain, a scale-out done). With {@code -Dcatena.console.writeDocs=true} every view, light
   * and dark where the docs show both, goes to docs/console/; otherwise the topology to target/.
   */
  @Test
  @Order(4)
  void screenshotModeRendersTheRunningClusterToPng() throws Exception {
    boolean docs = Boolean.getBoolean("catena.console.writeDocs");
    Path dir =
        docs
            ? Path.of(System.getProperty("catena.console.docs"))
            : Files.createDirectories(Path.of("target", "console-screenshots"));
    List<String[]> shots =
        docs
            ? List.of(
                new String[] {"overview", "light", "overview.png"},
                new String[] {"overview", "dark", "overview-dark.png"},
                new String[] {"nodes", "light", "nodes.png"},
                new String[] {"topology", "light", "topology.png"},
                new String[] {"topology", "dark", "topology-dark.png"},
                new String[] {"tenants", "light", "tenants.png"},
                new String[] {"hotspots", "light", "hotspots.png"},
                new String[] {"actions", "light", "actions.png"})
            : List.<String[]>of(new String[] {"topology", "light", "topology.png"});
    for (String[] shot : shots) {
      Path file = dir.resolve(shot[2]);
      LocalClusterProcesses.Run run =
          cluster.catena(
              300,
              "console",
              "--control-plane",
              cluster.controlPlane(),
              "--control-plane-ca",
              cluster.ca().toString(),
              "--view",
              shot[0],
              "--theme",
              shot[1],
              "--screenshot",
              file.toString());
      assertThat(run.exit()).as(run.err()).isZero();
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(file.toFile());
      assertThat(image.getWidth()).isEqualTo(1440);
      assertThat(image.getHeight()).isEqualTo(900);
      assertThat(Files.size(file)).as("not a blank image").isGreaterThan(10_000);
    }
  }

  private static List<String> nodeNames() {
    return cluster.onControlPlane(
        cp ->
            cp.listNodes(ListRequest.getDefaultInstance()).getNodesList().stream()
                .map(NodeInfo::getName)
                .sorted()
                .toList());
  }

  /** The control and all its parents are visible: the operator can see it. */
  private static boolean shown(FxRobot robot, String id) {
    var found = robot.lookup(id).tryQuery();
    if (found.isEmpty() || found.get().getScene() == null) {
      return false;
    }
    for (Node n = found.get(); n != null; n = n.getParent()) {
      if (!n.isVisible()) {
        return false;
      }
    }
    return true;
  }

  private static ListView<ChainInfo> chains(FxRobot robot) {
    return robot.lookup("#topology-chains").queryListView();
  }

  @SuppressWarnings("unchecked")
  private static TableView<TenantInfo> tenants(FxRobot robot) {
    return robot.lookup("#tenants-table").queryAs(TableView.class);
  }

  @SuppressWarnings("unchecked")
  private static TableView<LoadEntry> topChains(FxRobot robot) {
    return robot.lookup("#hot-top-chains").queryAs(TableView.class);
  }

  @SuppressWarnings("unchecked")
  private static TableView<LoadEntry> topTargets(FxRobot robot) {
    return robot.lookup("#hot-top-targets").queryAs(TableView.class);
  }

  /** A label's text, read on the FX thread (directly when already on it, as in awaitFx). */
  private static String text(FxRobot robot, String id) throws Exception {
    if (javafx.application.Platform.isFxApplicationThread()) {
      return robot.lookup(id).queryAs(Label.class).getText();
    }
    return FxRuntime.call(() -> robot.lookup(id).queryAs(Label.class).getText(), 10_000);
  }

  /** Waits (bounded) until the condition holds, evaluating it on the FX thread. */
  private static void awaitFx(long seconds, Callable<Boolean> condition) throws Exception {
    WaitForAsyncUtils.waitFor(
        seconds,
        TimeUnit.SECONDS,
        () -> {
          try {
            return FxRuntime.call(
                () -> {
                  try {
                    return condition.call();
                  } catch (Exception e) {
                    return false;
                  }
                },
                10_000);
          } catch (Exception e) {
            return false;
          }
        });
  }
}
