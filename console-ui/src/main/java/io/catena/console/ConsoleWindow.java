package io.catena.console;

import io.catena.console.shell.ShellController;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** Opens the console in a window and waits until the operator closes it. */
public final class ConsoleWindow {

  private ConsoleWindow() {}

  /**
   * Shows the console for the control plane behind {@code api}; returns when the window is closed.
   * Call from outside the FX thread.
   */
  public static void open(ControlPlaneApi api, Theme theme, ViewName first, String user)
      throws InterruptedException, TimeoutException {
    FxRuntime.start(false);
    CountDownLatch closed = new CountDownLatch(1);
    FxRuntime.call(
        () -> {
          ShellController shell = new ShellController(api, theme, 3, user);
          Stage stage = new Stage();
          stage.setTitle("Catena console — " + api.target());
          stage.setScene(new Scene(shell.root(), 1440, 900));
          stage.setOnHidden(
              e -> {
                shell.close();
                closed.countDown();
              });
          stage.show();
          shell.show(first);
          return null;
        },
        60_000);
    closed.await();
  }
}
