package io.catena.console;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javafx.application.Platform;

/** Starting the JavaFX runtime once, and calling onto its thread from outside. */
public final class FxRuntime {

  /**
   * JavaFX warns on stderr when it runs from the class path (as Catena's distribution does); that
   * line would break the CLI's one-line error contract. Held strongly: JUL keeps loggers weakly.
   */
  private static final java.util.logging.Logger JAVAFX_LOG =
      java.util.logging.Logger.getLogger("javafx");

  private FxRuntime() {}

  /**
   * Starts JavaFX if it is not running. Without a display, selects JavaFX's own headless platform
   * (software rendering), unless a platform was chosen already.
   */
  public static synchronized void start(boolean headless) {
    if (headless && System.getProperty("glass.platform") == null) {
      System.setProperty("glass.platform", "Headless");
      System.setProperty("prism.order", "sw");
    }
    JAVAFX_LOG.setLevel(java.util.logging.Level.SEVERE);
    CompletableFuture<Void> started = new CompletableFuture<>();
    try {
      Platform.startup(() -> started.complete(null));
    } catch (IllegalStateException alreadyRunning) {
      started.complete(null);
    }
    Platform.setImplicitExit(false);
    started.join();
  }

  /** True where no display is available to open a window on. */
  public static boolean noDisplay() {
    String display = System.getenv("DISPLAY");
    String wayland = System.getenv("WAYLAND_DISPLAY");
    return (display == null || display.isBlank()) && (wayland == null || wayland.isBlank());
  }

  /** Runs {@code work} on the FX thread and waits (bounded) for its result. */
  public static <T> T call(Supplier<T> work, long timeoutMs)
      throws InterruptedException, TimeoutException {
    CompletableFuture<T> result = new CompletableFuture<>();
    Platform.runLater(
        () -> {
          try {
            result.complete(work.get());
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
          }
        });
    try {
      return result.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
