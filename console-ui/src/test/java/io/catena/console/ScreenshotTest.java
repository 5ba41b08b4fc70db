package io.catena.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.console.fake.FakeCluster;
import io.catena.console.fake.FakeControlPlane;
import io.catena.protocol.controlplane.OperationRef;
import io.catena.protocol.controlplane.PlanOperationRequest;
import io.catena.protocol.controlplane.ScaleOut;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Screenshot mode renders every view, light and dark, to a PNG headless (into target/). The docs'
 * screenshots come from a real local cluster instead: installer's ConsoleOnLocalClusterTest.
 */
class ScreenshotTest {

  private static FakeControlPlane controlPlane;

  @BeforeAll
  static void start() throws Exception {
    // Through TestFX, so the TestFX tests in this JVM find the toolkit in the state they expect.
    org.testfx.api.FxToolkit.registerPrimaryStage();
    FxRuntime.start(false);
    FakeCluster cluster = FakeCluster.demo();
    controlPlane = new FakeControlPlane(cluster, 0);
    // An operation half way, and a skewed load, so every view has something to show.
    try (ControlPlaneApi api = controlPlane.api()) {
      var op =
          api.operations()
              .planOperation(
                  PlanOperationRequest.newBuilder()
                      .setScaleOut(ScaleOut.newBuilder().setAddNodes(3).setMode("auto"))
                      .setRequestedBy("alice")
                      .build());
      api.operations()
          .approveOperation(OperationRef.newBuilder().setId(op.getId()).setBy("alice").build());
    }
    cluster.tick();
    cluster.tick();
    cluster.skew(5, 4);
  }

  @AfterAll
  static void stop() throws Exception {
    controlPlane.close();
  }

  static Path outputDirectory() {
    return Paths.get("target", "console-screenshots");
  }

  @Test
  void rendersEveryViewToAPng() throws Exception {
    Path dir = outputDirectory();
    try (ControlPlaneApi api = controlPlane.api()) {
      for (ViewName view : ViewName.values()) {
        Path file = dir.resolve(view.cliName() + ".png");
        Screenshot.render(api, view, Theme.LIGHT, 1440, 900, file, ScreenshotTest::showDetail);
        assertPng(file);
      }
      Path dark = dir.resolve("topology-dark.png");
      Screenshot.render(
          api, ViewName.TOPOLOGY, Theme.DARK, 1440, 900, dark, ScreenshotTest::showDetail);
      assertPng(dark);
      Path overviewDark = dir.resolve("overview-dark.png");
      Screenshot.render(api, ViewName.OVERVIEW, Theme.DARK, 1440, 900, overviewDark);
      assertPng(overviewDark);
    }
  }

  /** Selects a row where a view has a detail pane, so the picture shows it. */
  @SuppressWarnings("unchecked")
  private static void showDetail(javafx.scene.Parent root) {
    if (root.lookup("#topology-chains") instanceof javafx.scene.control.ListView<?> chains) {
      ((javafx.scene.control.ListView<io.catena.protocol.controlplane.ChainInfo>) chains)
          .getItems().stream()
              .filter(c -> c.getSyncProgress() < 1)
              .findFirst()
              .ifPresent(
                  c ->
                      ((javafx.scene.control.ListView<io.catena.protocol.controlplane.ChainInfo>)
                              chains)
                          .getSelectionModel()
                          .select(c));
    }
    if (root.lookup("#operations-table") instanceof javafx.scene.control.TableView<?> ops
        && !ops.getItems().isEmpty()) {
      ops.getSelectionModel().select(0);
      ((javafx.scene.control.Button) root.lookup("#operations-follow")).fire();
    }
    if (root.lookup("#daemons-table") instanceof javafx.scene.control.TableView<?> daemons
        && daemons.getItems().size() > 5) {
      daemons.getSelectionModel().select(5);
    }
  }

  private static void assertPng(Path file) throws Exception {
    assertThat(file).exists();
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(1440);
    assertThat(image.getHeight()).isEqualTo(900);
    assertThat(Files.size(file)).isGreaterThan(10_000); // not a blank image
  }
}
