package io.catena.console;

import io.catena.console.shell.ShellController;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.animation.AnimationTimer;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/** Renders one view of a live control plane to a PNG: for docs and checks; works headless. */
public final class Screenshot {

  private Screenshot() {}

  /**
   * Loads {@code view} from the control plane behind {@code api}, lets it lay out and paint, and
   * writes the window's content to {@code file}. Call from outside the FX thread, after {@link
   * FxRuntime#start}.
   *
   * @throws IllegalStateException when the view could not load (the control plane's error)
   */
  public static void render(
      ControlPlaneApi api, ViewName view, Theme theme, int width, int height, Path file)
      throws IOException, InterruptedException, TimeoutException {
    render(api, view, theme, width, height, file, root -> {});
  }

  /**
   * As {@link #render(ControlPlaneApi, ViewName, Theme, int, int, Path)}, with {@code prepare} run
   * on the FX thread once the view has loaded (select a row, say) before the picture is taken.
   */
  public static void render(
      ControlPlaneApi api,
      ViewName view,
      Theme theme,
      int width,
      int height,
      Path file,
      java.util.function.Consumer<javafx.scene.Parent> prepare)
      throws IOException, InterruptedException, TimeoutException {
    Holder holder = new Holder();
    try {
      CompletableFuture<Void> loaded =
          FxRuntime.call(
              () -> {
                holder.shell = new ShellController(api, theme, 0, "screenshot");
                holder.stage = new Stage();
                holder.stage.setScene(new Scene(holder.shell.root(), width, height));
                holder.stage.setTitle("Catena console");
                holder.stage.show();
                return holder.shell.show(view);
              },
              30_000);
      try {
        loaded.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(
            "could not load the " + view.cliName() + " view: " + Formats.error(e.getCause()), e);
      }
      // Events arrive on their own stream; give the first ones a moment, then a few frames to
      // paint.
      if (view == ViewName.ACTIONS || view == ViewName.OVERVIEW) {
        Thread.sleep(500);
      }
      FxRuntime.call(
          () -> {
            prepare.accept(holder.shell.root());
            return null;
          },
          30_000);
      awaitFrames(3);
      WritableImage image = FxRuntime.call(() -> holder.stage.getScene().snapshot(null), 30_000);
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile())) {
        throw new IOException("no PNG writer available");
      }
    } finally {
      FxRuntime.call(
          () -> {
            if (holder.stage != null) {
              holder.stage.close();
            }
            if (holder.shell != null) {
              holder.shell.close();
            }
            return null;
          },
          30_000);
    }
  }

  /** Waits until JavaFX has rendered {@code n} more frames (layout, CSS and charts settle). */
  static void awaitFrames(int n) throws InterruptedException, TimeoutException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    FxRuntime.call(
        () -> {
          new AnimationTimer() {
            int left = n;

            @Override
            public void handle(long now) {
              if (--left <= 0) {
                stop();
                done.complete(null);
              }
            }
          }.start();
          return null;
        },
        30_000);
    try {
      done.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Holder {
    ShellController shell;
    Stage stage;
  }
}
