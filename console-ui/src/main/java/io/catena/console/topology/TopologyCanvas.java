package io.catena.console.topology;

import io.catena.console.Theme;
import java.util.function.IntConsumer;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.layout.Region;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

/**
 * The target map: a canvas the size of the viewport that draws only the visible rows of a {@link
 * TopologyLayout}, with its own scroll bar, so 10,000 targets cost what one screenful costs.
 */
final class TopologyCanvas extends Region {

  private static final Font DOMAIN_FONT = Font.font("System", FontWeight.BOLD, 13);
  private static final Font NODE_FONT = Font.font("System", FontWeight.BOLD, 12);
  private static final Font DISK_FONT = Font.font("System", 11);

  private final Canvas canvas = new Canvas();
  private final ScrollBar scroll = new ScrollBar();
  private java.util.List<TargetCell> source = java.util.List.of();
  private java.util.Map<String, String> nodeStates = java.util.Map.of();
  private TopologyLayout layout = TopologyLayout.of(java.util.List.of(), 800);
  private double laidOutWidth = -1;
  private int selectedChain = -1;
  private Theme.Palette palette;
  private IntConsumer onChainClicked = c -> {};

  /** Time the last redraw took, for the 10,000-target check. */
  long lastDrawNanos;

  TopologyCanvas(Theme.Palette palette) {
    this.palette = palette;
    setId("topology-canvas");
    scroll.setId("topology-scroll");
    scroll.setOrientation(Orientation.VERTICAL);
    getChildren().addAll(canvas, scroll);
    scroll.valueProperty().addListener((o, a, b) -> draw());
    setOnScroll(e -> scroll.setValue(clamp(scroll.getValue() - e.getDeltaY())));
    canvas.setOnMouseClicked(
        e -> {
          int index = layout.hit(e.getX(), e.getY() + scroll.getValue());
          if (index >= 0) {
            onChainClicked.accept(layout.cells().get(index).chainId());
          }
        });
    setMinSize(200, 150);
  }

  void setOnChainClicked(IntConsumer handler) {
    onChainClicked = handler;
  }

  void setData(java.util.List<TargetCell> cells, java.util.Map<String, String> nodeStates) {
    this.source = cells;
    this.nodeStates = nodeStates;
    laidOutWidth = -1;
    requestLayout();
    relayout();
  }

  void setSelectedChain(int chainId) {
    selectedChain = chainId;
    draw();
  }

  void setPalette(Theme.Palette palette) {
    this.palette = palette;
    draw();
  }

  TopologyLayout currentLayout() {
    return layout;
  }

  /** Scrolls so that the given chain's first target is visible. */
  void reveal(int chainId) {
    for (TopologyLayout.Row row : layout.rows()) {
      for (int i = row.first(); i < row.first() + row.count(); i++) {
        if (layout.cells().get(i).chainId() == chainId) {
          double y = layout.position(row, i)[1];
          if (y < scroll.getValue() || y > scroll.getValue() + getHeight() - 20) {
            scroll.setValue(clamp(y - 40));
          }
          return;
        }
      }
    }
  }

  @Override
  protected void layoutChildren() {
    double w = getWidth();
    double h = getHeight();
    double sw = scroll.prefWidth(-1);
    scroll.resizeRelocate(w - sw, 0, sw, h);
    canvas.setWidth(Math.max(0, w - sw));
    canvas.setHeight(h);
    relayout();
  }

  private void relayout() {
    double width = canvas.getWidth();
    if (width <= 0) {
      return;
    }
    if (width != laidOutWidth) {
      layout = TopologyLayout.of(source, width);
      laidOutWidth = width;
    }
    double max = Math.max(0, layout.height() - canvas.getHeight());
    scroll.setMax(max);
    scroll.setVisibleAmount(max == 0 ? 1 : canvas.getHeight() * max / layout.height());
    scroll.setUnitIncrement(TopologyLayout.PITCH * 2);
    scroll.setBlockIncrement(canvas.getHeight() * 0.9);
    scroll.setValue(clamp(scroll.getValue()));
    draw();
  }

  private double clamp(double v) {
    return Math.max(0, Math.min(scroll.getMax(), v));
  }

  /**
   * A disk's label in its column: the last path element (a local cluster's disks are directories
   * with long paths), shortened with an ellipsis when still too long to fit.
   */
  static String diskLabel(String disk) {
    String name = disk;
    int slash = name.replaceAll("/+$", "").lastIndexOf('/');
    if (slash >= 0) {
      name = name.replaceAll("/+$", "").substring(slash + 1);
    }
    return name.length() > 13 ? name.substring(0, 12) + "…" : name;
  }

  private void draw() {
    long start = System.nanoTime();
    GraphicsContext g = canvas.getGraphicsContext2D();
    double w = canvas.getWidth();
    double h = canvas.getHeight();
    g.setFill(palette.surface());
    g.fillRect(0, 0, w, h);
    double top = scroll.getValue();
    g.setTextBaseline(VPos.TOP);
    for (TopologyLayout.Heading heading : layout.headings()) {
      double y = heading.y() - top;
      if (y < -30 || y > h) {
        continue;
      }
      if (heading.level() == 0) {
        g.setFill(palette.muted());
        g.setFont(DOMAIN_FONT);
        g.fillText(heading.text().toUpperCase(java.util.Locale.ROOT), heading.x(), y + 6);
        g.setStroke(palette.border());
        g.strokeLine(heading.x(), y + 24.5, w - TopologyLayout.PAD, y + 24.5);
      } else {
        String state = nodeStates.getOrDefault(heading.text(), "");
        g.setFill(
            palette.forTargetState(
                "ACTIVE".equals(state) ? "SERVING" : state.isEmpty() ? "" : "WAITING"));
        g.fillOval(heading.x(), y + 3, 8, 8);
        g.setFill(palette.text());
        g.setFont(NODE_FONT);
        g.fillText(heading.text(), heading.x() + 14, y);
      }
    }
    g.setFont(DISK_FONT);
    boolean anySelected = selectedChain >= 0;
    for (TopologyLayout.Row row : layout.rowsIn(top, top + h)) {
      g.setFill(palette.muted());
      g.fillText(
          diskLabel(row.disk()),
          row.x() - TopologyLayout.DISK_LABEL_WIDTH,
          row.y() - top,
          TopologyLayout.DISK_LABEL_WIDTH - 6);
      for (int i = row.first(); i < row.first() + row.count(); i++) {
        TargetCell cell = layout.cells().get(i);
        double[] p = layout.position(row, i);
        double y = p[1] - top;
        if (y + TopologyLayout.CELL < 0 || y > h) {
          continue;
        }
        boolean selected = cell.chainId() == selectedChain;
        var colour = palette.forTargetState(cell.state());
        g.setFill(anySelected && !selected ? colour.deriveColor(0, 0.6, 1, 0.45) : colour);
        g.fillRoundRect(p[0], y, TopologyLayout.CELL, TopologyLayout.CELL, 3, 3);
        if (selected) {
          g.setStroke(palette.highlight());
          g.setLineWidth(2);
          g.strokeRoundRect(
              p[0] - 1.5, y - 1.5, TopologyLayout.CELL + 3, TopologyLayout.CELL + 3, 4, 4);
          g.setLineWidth(1);
        }
      }
    }
    lastDrawNanos = System.nanoTime() - start;
  }
}
