package io.catena.console.hotspots;

import io.catena.console.Cards;
import io.catena.console.Formats;
import io.catena.console.Tables;
import io.catena.console.Theme;
import io.catena.protocol.controlplane.LoadEntry;
import io.catena.protocol.controlplane.Relief;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.SegmentedButton;

/** Window picker, heatmap of every target by load, top-N tabs and the suggested reliefs. */
final class HotSpotsView {

  private double cell = 12;
  final VBox root = new VBox(12);
  private final Canvas heatmap = new Canvas(600, 200);
  private final ScrollPane heatmapScroll = new ScrollPane(heatmap);
  private final VBox reliefs = new VBox(8);
  private final ObjectProperty<Theme> theme;
  private List<LoadEntry> shownTargets = List.of();
  private final Label hover = new Label(" ");

  HotSpotsView(HotSpotsModel model, ObjectProperty<Theme> theme, Consumer<Relief> plan) {
    this.theme = theme;
    root.setId("view-hotspots");
    SegmentedButton windows = new SegmentedButton();
    windows.setId("hotspots-window");
    for (String w : HotSpotsModel.WINDOWS) {
      ToggleButton b = new ToggleButton(w);
      b.setId("window-" + w);
      b.setSelected(w.equals(model.window.get()));
      b.setOnAction(
          e -> {
            b.setSelected(true); // a window is always chosen
            model.window.set(w);
          });
      windows.getButtons().add(b);
    }
    Label summary = new Label();
    summary.setId("hotspots-summary");
    summary.textProperty().bind(model.summary);
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox top = new HBox(12, new Label("Window"), windows, grow, summary);
    top.setAlignment(Pos.CENTER_LEFT);

    heatmap.setId("hotspots-heatmap");
    heatmapScroll.setFitToWidth(true);
    heatmapScroll.setPrefHeight(220);
    heatmapScroll.viewportBoundsProperty().addListener((o, a, b) -> drawHeatmap());
    model.targets.addListener(
        (o, a, b) -> {
          shownTargets = b;
          drawHeatmap();
        });
    theme.addListener((o, a, b) -> drawHeatmap());
    hover.getStyleClass().add("muted");
    hover.setId("hotspots-hover");
    heatmap.setOnMouseMoved(
        e -> {
          int cols = columns();
          int index = (int) (e.getY() / cell) * cols + (int) (e.getX() / cell);
          if (e.getX() < cols * cell && index >= 0 && index < shownTargets.size()) {
            LoadEntry t = shownTargets.get(index);
            hover.setText(
                "target "
                    + t.getId()
                    + ": load ×"
                    + String.format(java.util.Locale.ROOT, "%.2f", t.getScore())
                    + " of the mean, read "
                    + Formats.rate(t.getReadBytesPerS())
                    + ", write "
                    + Formats.rate(t.getWriteBytesPerS()));
          }
        });
    VBox.setVgrow(heatmapScroll, Priority.ALWAYS);
    VBox heat = Cards.card("Targets by load (1× = cluster mean)", heatmapScroll, hover);

    TabPane tops = new TabPane();
    tops.setId("hotspots-top");
    tops.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    tops.getTabs()
        .addAll(
            tab("Chains", "hot-top-chains", model.topChains),
            tab("Targets", "hot-top-targets", model.topTargets),
            tab("Nodes", "hot-top-nodes", model.topNodes),
            tab("Tenants", "hot-top-tenants", model.topTenants));
    tops.setPrefHeight(300);
    VBox.setVgrow(tops, Priority.ALWAYS);
    VBox topCard = Cards.card("Top " + HotSpotsController.TOP, tops);
    HBox.setHgrow(topCard, Priority.ALWAYS);

    reliefs.setId("hotspots-reliefs");
    model.reliefs.addListener((ListChangeListener<Relief>) c -> drawReliefs(model, plan));
    drawReliefs(model, plan);
    Label message = new Label();
    message.setId("hotspots-message");
    message.setWrapText(true);
    message.getStyleClass().add("muted");
    message.textProperty().bind(model.message);
    VBox reliefCard = Cards.card("Suggested relief", reliefs, message);
    reliefCard.setPrefWidth(380);
    reliefCard.setMinWidth(300);
    HBox bottom = new HBox(12, topCard, reliefCard);
    VBox.setVgrow(bottom, Priority.ALWAYS);
    VBox.setVgrow(heat, Priority.SOMETIMES);
    root.getChildren().addAll(top, heat, bottom);
  }

  private static Tab tab(String title, String id, ObservableList<LoadEntry> rows) {
    TableView<LoadEntry> table = new TableView<>(rows);
    table.setId(id);
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table
        .getColumns()
        .add(Tables.column(title.substring(0, title.length() - 1), 120, LoadEntry::getId));
    table.getColumns().add(Tables.column("Read", 100, e -> Formats.rate(e.getReadBytesPerS())));
    table.getColumns().add(Tables.column("Write", 100, e -> Formats.rate(e.getWriteBytesPerS())));
    // No Ops/s column: the control plane folds operations into the byte load (at their byte cost)
    // and leaves ops_per_s unset, so the column read 0 for every row on a real cluster.
    table
        .getColumns()
        .add(
            Tables.column(
                "Load", 70, e -> String.format(java.util.Locale.ROOT, "×%.2f", e.getScore())));
    table.getColumns().add(Tables.badgeColumn("", 70, e -> e.getHot() ? "HOT" : "normal"));
    table.setPlaceholder(new Label("No load in this window"));
    return new Tab(title, table);
  }

  private void drawReliefs(HotSpotsModel model, Consumer<Relief> plan) {
    reliefs.getChildren().clear();
    if (model.reliefs.isEmpty()) {
      Label none = new Label("Nothing to relieve: no target is hot");
      none.getStyleClass().add("muted");
      reliefs.getChildren().add(none);
      return;
    }
    for (int i = 0; i < model.reliefs.size(); i++) {
      Relief relief = model.reliefs.get(i);
      Label text = new Label(relief.getDescription());
      text.setWrapText(true);
      Button go = new Button("Plan it");
      go.setMinWidth(Region.USE_PREF_SIZE);
      go.setId("relief-plan-" + i);
      go.getStyleClass().add("accent");
      go.setOnAction(e -> plan.accept(relief));
      HBox.setHgrow(text, Priority.ALWAYS);
      HBox row = new HBox(8, text, go);
      row.setAlignment(Pos.CENTER_LEFT);
      reliefs.getChildren().add(row);
    }
  }

  private int columns() {
    double width = heatmapScroll.getViewportBounds().getWidth();
    return Math.max(1, (int) ((width > 0 ? width : 600) / cell));
  }

  /** The biggest cell (10..36 px) that still fits every target in the visible area. */
  private void chooseCellSize() {
    double w = Math.max(100, heatmapScroll.getViewportBounds().getWidth());
    double h = Math.max(60, heatmapScroll.getViewportBounds().getHeight());
    int n = Math.max(1, shownTargets.size());
    cell = 36;
    while (cell > 10 && Math.ceil(n / Math.floor(w / cell)) * cell > h) {
      cell -= 1;
    }
  }

  private void drawHeatmap() {
    Theme.Palette palette = theme.get().palette();
    chooseCellSize();
    int cols = columns();
    int rows = Math.max(1, (shownTargets.size() + cols - 1) / cols);
    heatmap.setWidth(cols * cell);
    heatmap.setHeight(rows * cell);
    GraphicsContext g = heatmap.getGraphicsContext2D();
    g.setFill(palette.surface());
    g.fillRect(0, 0, heatmap.getWidth(), heatmap.getHeight());
    for (int i = 0; i < shownTargets.size(); i++) {
      LoadEntry t = shownTargets.get(i);
      double x = (i % cols) * cell;
      double y = (i / cols) * cell;
      g.setFill(palette.forLoad(t.getScore()));
      g.fillRect(x + 1, y + 1, cell - 2, cell - 2);
      if (t.getHot()) {
        g.setStroke(palette.text());
        g.strokeRect(x + 1.5, y + 1.5, cell - 3, cell - 3);
      }
    }
  }
}
