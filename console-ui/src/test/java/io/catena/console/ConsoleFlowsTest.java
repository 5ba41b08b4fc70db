package io.catena.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.console.fake.FakeCluster;
import io.catena.console.fake.FakeControlPlane;
import io.catena.console.shell.ShellController;
import io.catena.protocol.controlplane.DaemonInfo;
import io.catena.protocol.controlplane.LoadEntry;
import io.catena.protocol.controlplane.TenantInfo;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console driven like an operator would, headless, against the scripted control plane: what a
 * real cluster cannot show quickly or on demand (a failing daemon, a refused duplicate, a relief to
 * plan). The scale-out, tenant and hot-spot flows on a real local cluster are installer's
 * ConsoleOnLocalClusterTest. Every control is found by its automation id.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleFlowsTest {

  private static final long WAIT_S = 60;

  private FakeControlPlane controlPlane;
  private ControlPlaneApi api;
  private ShellController shell;

  @Start
  void start(Stage stage) throws Exception {
    controlPlane = new FakeControlPlane(FakeCluster.demo(), 200);
    api = controlPlane.api();
    shell = new ShellController(api, Theme.LIGHT, 0, "alice");
    stage.setScene(new Scene(shell.root(), 1440, 900));
    stage.show();
    shell.show(ViewName.OVERVIEW);
  }

  @AfterEach
  void stop() throws Exception {
    FxRuntime.call(
        () -> {
          shell.close();
          return null;
        },
        30_000);
    api.close();
    controlPlane.close();
  }

  @Test
  void creatingATenantShowsItsTokenOnce(FxRobot robot) throws Exception {
    robot.clickOn("#nav-tenants");
    awaitFx(() -> tenants(robot).getItems().size() == 2);
    robot.clickOn("#tenant-name").write("team-qwen");
    robot.clickOn("#tenant-quota-gib").write("100");
    robot.clickOn("#tenant-create");
    awaitFx(() -> shown(robot, "#tenant-token-box"));
    String token = robot.lookup("#tenant-token").queryAs(TextField.class).getText();
    assertThat(controlPlane.cluster().tenantTokenIs("team-qwen", token)).isTrue();
    awaitFx(
        () -> tenants(robot).getItems().stream().anyMatch(t -> t.getName().equals("team-qwen")));
    TenantInfo created =
        tenants(robot).getItems().stream()
            .filter(t -> t.getName().equals("team-qwen"))
            .findFirst()
            .orElseThrow();
    assertThat(created.getQuotaBytes()).isEqualTo(100L << 30);

    robot.clickOn("#tenant-token-dismiss");
    awaitFx(() -> !shown(robot, "#tenant-token-box"));
    assertThat(robot.lookup("#tenant-token").queryAs(TextField.class).getText()).isEmpty();

    // The same name again: the control plane's refusal is shown, not swallowed.
    robot.clickOn("#tenant-create");
    awaitFx(() -> text(robot, "#tenants-message").contains("ALREADY_EXISTS"));
    assertThat(shown(robot, "#tenant-token-box")).isFalse();

    // Delete asks first, then the tenant is gone.
    FxRuntime.call(
        () -> {
          tenants(robot).getSelectionModel().select(created);
          return null;
        },
        10_000);
    robot.clickOn("#tenant-delete");
    awaitFx(() -> shown(robot, "#tenant-delete-confirm"));
    robot.clickOn("#tenant-delete-confirm");
    awaitFx(
        () -> tenants(robot).getItems().stream().noneMatch(t -> t.getName().equals("team-qwen")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aFailingDaemonIsRestartedFromTheNodesView(FxRobot robot) throws Exception {
    robot.clickOn("#nav-nodes");
    awaitFx(() -> robot.lookup("#daemons-table").tryQuery().isPresent());
    TableView<DaemonInfo> daemons = robot.lookup("#daemons-table").queryAs(TableView.class);
    awaitFx(() -> daemons.getItems().stream().anyMatch(d -> d.getState().equals("FAILING")));
    DaemonInfo failing =
        daemons.getItems().stream()
            .filter(d -> d.getState().equals("FAILING"))
            .findFirst()
            .orElseThrow();
    assertThat(failing.getLastError()).isNotEmpty();
    FxRuntime.call(
        () -> {
          daemons.getSelectionModel().select(failing);
          return null;
        },
        10_000);
    robot.clickOn("#daemon-restart");
    awaitFx(() -> text(robot, "#nodes-message").endsWith("HEALTHY"));
    awaitFx(
        () ->
            daemons.getItems().stream()
                .anyMatch(
                    d ->
                        d.getName().equals(failing.getName())
                            && d.getState().equals("HEALTHY")
                            && d.getRestarts() == failing.getRestarts() + 1));
  }

  @Test
  void aSkewedLoadShowsAHotSpotWithItsReliefOneClickAway(FxRobot robot) throws Exception {
    robot.clickOn("#nav-hotspots");
    awaitFx(() -> robot.lookup("#hot-top-chains").tryQuery().isPresent());
    awaitFx(() -> !topChains(robot).getItems().isEmpty());
    assertThat(topChains(robot).getItems()).noneMatch(LoadEntry::getHot);
    assertThat(robot.lookup("#relief-plan-0").tryQuery()).isEmpty();

    controlPlane.cluster().skew(7, 5);
    robot.clickOn("#window-1m");
    awaitFx(
        () ->
            !topChains(robot).getItems().isEmpty()
                && topChains(robot).getItems().getFirst().getHot());
    assertThat(topChains(robot).getItems().getFirst().getId()).isEqualTo("chain 7");
    assertThat(text(robot, "#hotspots-summary")).contains("3 hot");

    robot.clickOn("#relief-plan-0");
    awaitFx(() -> shown(robot, "#plan-approve"));
    assertThat(text(robot, "#plan-summary")).contains("rebalance");
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

  @SuppressWarnings("unchecked")
  private static TableView<TenantInfo> tenants(FxRobot robot) {
    return robot.lookup("#tenants-table").queryAs(TableView.class);
  }

  @SuppressWarnings("unchecked")
  private static TableView<LoadEntry> topChains(FxRobot robot) {
    return robot.lookup("#hot-top-chains").queryAs(TableView.class);
  }

  private static String text(FxRobot robot, String id) {
    return robot.lookup(id).queryAs(Label.class).getText();
  }

  /** Waits (bounded, generous) until the condition holds, evaluating it on the FX thread. */
  private static void awaitFx(Callable<Boolean> condition) throws Exception {
    WaitForAsyncUtils.waitFor(
        WAIT_S,
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
