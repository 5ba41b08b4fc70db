package io.catena.console;

import java.util.concurrent.CompletableFuture;
import javafx.scene.Node;

/**
 * One view's controller: owns the behaviour and the control-plane calls, writes only its model; its
 * view holds the scene graph and binds to the model.
 */
public interface ViewController {

  Node view();

  /** Loads fresh data; completes on the FX thread once the model holds it. */
  CompletableFuture<Void> refresh();

  /** The view was shown: start listening. */
  default void activate() {}

  /** The view was hidden: stop listening. */
  default void deactivate() {}

  /** The console is closing: stop timers. */
  default void close() {}
}
