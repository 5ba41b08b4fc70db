package io.catena.console.shell;

import io.catena.console.Background;
import io.catena.console.ConsoleContext;
import io.catena.console.ControlPlaneApi;
import io.catena.console.ErrorSink;
import io.catena.console.EventFeed;
import io.catena.console.Formats;
import io.catena.console.Theme;
import io.catena.console.ViewController;
import io.catena.console.ViewName;
import io.catena.console.actions.ActionsController;
import io.catena.console.hotspots.HotSpotsController;
import io.catena.console.nodes.NodesController;
import io.catena.console.overview.OverviewController;
import io.catena.console.tenants.TenantsController;
import io.catena.console.topology.TopologyController;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Parent;
import javafx.util.Duration;

/**
 * The console: builds every view's controller, switches between them, refreshes the shown one,
 * routes errors to the banner and swaps themes. Create and use it on the FX thread.
 */
public final class ShellController implements AutoCloseable {

  private final ShellModel model = new ShellModel();
  private final ShellView view;
  private final Background background;
  private final EventFeed events;
  private final Map<ViewName, ViewController> controllers = new EnumMap<>(ViewName.class);
  private final Timeline autoRefresh;
  private final Map<ViewController, CompletableFuture<Void>> inFlight = new java.util.HashMap<>();
  private ViewController shown;

  /**
   * @param refreshSeconds how often the shown view reloads; 0 for never (screenshots, tests that
   *     step by hand)
   */
  public ShellController(ControlPlaneApi api, Theme theme, double refreshSeconds, String user) {
    model.theme.set(theme);
    model.connection.set("control plane " + api.target());
    ErrorSink sink =
        new ErrorSink() {
          @Override
          public void report(String what, Throwable error) {
            model.errors.put(what, Formats.error(error));
          }

          @Override
          public void clear(String what) {
            model.errors.remove(what);
          }
        };
    background = new Background(sink);
    events = new EventFeed(api, sink);
    view = new ShellView(model);
    ConsoleContext context =
        new ConsoleContext(api, background, events, model.theme, this::show, user);
    ActionsController actions = new ActionsController(context);
    controllers.put(ViewName.OVERVIEW, new OverviewController(context));
    controllers.put(ViewName.NODES, new NodesController(context));
    controllers.put(ViewName.TOPOLOGY, new TopologyController(context));
    controllers.put(ViewName.TENANTS, new TenantsController(context));
    controllers.put(ViewName.HOTSPOTS, new HotSpotsController(context, actions::track));
    controllers.put(ViewName.ACTIONS, actions);

    view.nav.forEach((name, button) -> button.setOnAction(e -> show(name)));
    view.refresh.setOnAction(e -> refresh());
    view.dismissErrors.setOnAction(e -> model.errors.clear());
    view.dark.setOnAction(e -> model.theme.set(view.dark.isSelected() ? Theme.DARK : Theme.LIGHT));
    model.theme.addListener((o, was, now) -> applyTheme());
    view.root.sceneProperty().addListener((o, was, now) -> applyTheme());
    applyTheme();

    autoRefresh =
        new Timeline(new KeyFrame(Duration.seconds(Math.max(refreshSeconds, 1)), e -> refresh()));
    autoRefresh.setCycleCount(Animation.INDEFINITE);
    if (refreshSeconds > 0) {
      autoRefresh.play();
    }
    events.start();
  }

  public Parent root() {
    return view.root;
  }

  public ShellModel model() {
    return model;
  }

  /** Shows a view and loads it; completes once its data is in. */
  public CompletableFuture<Void> show(ViewName name) {
    ViewController next = controllers.get(name);
    if (shown != next) {
      if (shown != null) {
        shown.deactivate();
      }
      shown = next;
      model.view.set(name);
      view.setContent(next.view());
      next.activate();
    }
    return refresh();
  }

  public CompletableFuture<Void> refresh() {
    if (shown == null) {
      return show(model.view.get());
    }
    // A slow control plane must not pile up refreshes of the same view behind each other.
    CompletableFuture<Void> running = inFlight.get(shown);
    if (running != null && !running.isDone()) {
      return running;
    }
    CompletableFuture<Void> next = shown.refresh();
    inFlight.put(shown, next);
    return next.whenComplete(
        (ok, error) -> {
          if (error == null) {
            model.lastRefresh.set(Formats.time(System.currentTimeMillis()));
          }
        });
  }

  public ViewController controller(ViewName name) {
    return controllers.get(name);
  }

  private void applyTheme() {
    var sheets = view.root.getStylesheets();
    sheets.setAll(Theme.baseStyleSheetUrl(), model.theme.get().styleSheetUrl());
    view.dark.setSelected(model.theme.get() == Theme.DARK);
  }

  @Override
  public void close() {
    autoRefresh.stop();
    if (shown != null) {
      shown.deactivate();
    }
    controllers.values().forEach(ViewController::close);
    events.close();
    background.close();
  }
}
