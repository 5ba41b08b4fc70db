package io.catena.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.console.fake.FakeCluster;
import io.catena.console.fake.FakeControlPlane;
import io.catena.console.shell.ShellController;
import io.catena.protocol.controlplane.ChainInfo;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The shell: errors reach the banner, themes switch, and 10,000 targets stay cheap to draw. */
@ExtendWith(ApplicationExtension.class)
class ConsoleShellTest {

  private Stage stage;
  private ShellController shell;
  private ControlPlaneApi api;
  private FakeControlPlane controlPlane;

  @Start
  void start(Stage stage) {
    this.stage = stage;
  }

  private void open(ControlPlaneApi api, ViewName view) throws Exception {
    this.api = api;
    FxRuntime.call(
        () -> {
          shell = new ShellController(api, Theme.LIGHT, 0, "alice");
          stage.setScene(new Scene(shell.root(), 1440, 900));
          stage.show();
          shell.show(view);
          return null;
        },
        30_000);
  }

  @AfterEach
  void stop() throws Exception {
    FxRuntime.call(
        () -> {
          if (shell != null) {
            shell.close();
          }
          return null;
        },
        30_000);
    if (api != null) {
      api.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void anUnreachableControlPlaneIsShownInTheBannerNotSwallowed(FxRobot robot) throws Exception {
    open(
        new ControlPlaneApi(ConsoleConnection.embedded("nobody-serves-this"), null, 5_000),
        ViewName.OVERVIEW);
    awaitFx(() -> robot.lookup("#error-banner").query().isVisible());
    // The overview load and the event watch both fail; the banner shows whichever came first.
    assertThat(robot.lookup("#error-text").queryAs(Label.class).getText())
        .matches("(?s)(load overview|watch events) failed: UNAVAILABLE.*");
    robot.clickOn("#error-dismiss");
    awaitFx(() -> !robot.lookup("#error-banner").query().isVisible());
  }

  @Test
  void theDarkThemeSwapsTheStyleSheet(FxRobot robot) throws Exception {
    controlPlane = new FakeControlPlane(FakeCluster.demo(), 0);
    open(controlPlane.api(), ViewName.TOPOLOGY);
    Node root = robot.lookup("#console-root").query();
    assertThat(((javafx.scene.Parent) root).getStylesheets())
        .anyMatch(s -> s.endsWith("light.css"));
    robot.clickOn("#theme-dark");
    assertThat(((javafx.scene.Parent) root).getStylesheets()).anyMatch(s -> s.endsWith("dark.css"));
  }

  @Test
  void tenThousandTargetsScrollByDrawingOnlyWhatIsVisible(FxRobot robot) throws Exception {
    controlPlane = new FakeControlPlane(new FakeCluster(100, 4, 25, 3), 0);
    long start = System.nanoTime();
    open(controlPlane.api(), ViewName.TOPOLOGY);
    // The split pane adds its items to the scene graph on its first layout pass.
    awaitFx(() -> robot.lookup("#topology-chains").tryQuery().isPresent());
    ListView<ChainInfo> chains = robot.lookup("#topology-chains").queryListView();
    awaitFx(() -> chains.getItems().size() == 3333);
    long loadMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(robot.lookup("#topology-summary").queryAs(Label.class).getText())
        .startsWith("100 nodes · 10000 targets");

    ScrollBar scroll = robot.lookup("#topology-scroll").queryAs(ScrollBar.class);
    var canvasNode = robot.lookup("#topology-canvas").query();
    long[] drawNanos =
        FxRuntime.call(
            () -> {
              long total = 0;
              long worst = 0;
              int steps = 100;
              for (int i = 0; i <= steps; i++) {
                long t0 = System.nanoTime();
                scroll.setValue(scroll.getMax() * i / steps);
                long took = System.nanoTime() - t0;
                total += took;
                worst = Math.max(worst, took);
              }
              return new long[] {total / (steps + 1), worst};
            },
            60_000);
    assertThat(scroll.getMax()).isGreaterThan(5_000); // the map is far taller than the window
    assertThat(canvasNode).isNotNull();
    System.out.printf(
        "topology with 10,000 targets: loaded and shown in %d ms; scroll redraw mean %.2f ms, worst %.2f ms%n",
        loadMs, drawNanos[0] / 1e6, drawNanos[1] / 1e6);

    // A chain picked in the list is highlighted and its order shown.
    FxRuntime.call(
        () -> {
          chains.getSelectionModel().select(3000);
          return null;
        },
        10_000);
    awaitFx(
        () -> robot.lookup("#chain-title").queryAs(Label.class).getText().startsWith("Chain 3001"));
    assertThat(robot.lookup("#chain-member-2").tryQuery()).isPresent();
  }

  private static void awaitFx(Callable<Boolean> condition) throws Exception {
    WaitForAsyncUtils.waitFor(
        60,
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
