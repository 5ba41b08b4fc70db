package io.catena.console;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs control-plane calls off the FX thread and applies their results on it. A failure is never
 * swallowed: it goes to the {@link ErrorSink} (the shell's error banner) and fails the returned
 * future.
 */
public final class Background implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Background.class);

  private final ExecutorService executor;
  private final ErrorSink errors;

  public Background(ErrorSink errors) {
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "console-call-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.errors = errors;
  }

  /**
   * Calls {@code call} on a background thread, then {@code apply} with its result on the FX thread.
   * The future completes after {@code apply} ran.
   *
   * @param what names the call in an error message ("list nodes")
   */
  public <T> CompletableFuture<T> run(String what, Callable<T> call, Consumer<T> apply) {
    CompletableFuture<T> done = new CompletableFuture<>();
    if (executor.isShutdown()) {
      done.completeExceptionally(new IllegalStateException("the console is closing"));
      return done;
    }
    executor.execute(
        () -> {
          T result;
          try {
            result = call.call();
          } catch (Exception | Error e) {
            LOG.debug("{} failed", what, e);
            Platform.runLater(
                () -> {
                  errors.report(what, e);
                  done.completeExceptionally(e);
                });
            return;
          }
          Platform.runLater(
              () -> {
                try {
                  apply.accept(result);
                  errors.clear(what);
                  done.complete(result);
                } catch (RuntimeException e) {
                  errors.report(what, e);
                  done.completeExceptionally(e);
                }
              });
        });
    return done;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
