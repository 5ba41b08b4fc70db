package io.catena.console.overview;

import io.catena.console.Cards;
import io.catena.console.Formats;
import io.catena.protocol.controlplane.Condition;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.ThroughputSample;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/** Health, capacity, throughput chart, active operations and alerts, as cards on a grid. */
final class OverviewView {

  final ScrollPane root;
  private final VBox conditions = new VBox(6);
  private final VBox operations = new VBox(8);
  private final XYChart.Series<Number, Number> read = new XYChart.Series<>();
  private final XYChart.Series<Number, Number> write = new XYChart.Series<>();

  OverviewView(OverviewModel model) {
    conditions.setId("overview-conditions");
    model.conditions.addListener((ListChangeListener<Condition>) c -> drawConditions(model));

    ProgressBar capacity = new ProgressBar(0);
    capacity.setId("overview-capacity");
    capacity.setMaxWidth(Double.MAX_VALUE);
    capacity
        .progressProperty()
        .bind(
            Bindings.createDoubleBinding(
                () ->
                    model.capacityBytes.get() == 0
                        ? 0
                        : (double) model.usedBytes.get() / model.capacityBytes.get(),
                model.capacityBytes,
                model.usedBytes));
    Label capacityText = new Label();
    capacityText.getStyleClass().add("big-number");
    capacityText
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    Formats.bytes(model.usedBytes.get())
                        + " of "
                        + Formats.bytes(model.capacityBytes.get())
                        + " used",
                model.capacityBytes,
                model.usedBytes));
    Label free = new Label();
    free.getStyleClass().add("muted");
    free.textProperty()
        .bind(
            Bindings.createStringBinding(
                () -> Formats.bytes(model.capacityBytes.get() - model.usedBytes.get()) + " free",
                model.capacityBytes,
                model.usedBytes));
    Label counts = new Label();
    counts.setId("overview-counts");
    counts.setWrapText(true);
    counts.textProperty().bind(model.counts);
    Label mgmtd = new Label();
    mgmtd.getStyleClass().add("muted");
    mgmtd.textProperty().bind(model.mgmtd);

    NumberAxis time = new NumberAxis();
    time.setForceZeroInRange(false);
    time.setAutoRanging(false);
    time.setTickLabelFormatter(
        new StringConverter<>() {
          @Override
          public String toString(Number n) {
            return Formats.time(n.longValue());
          }

          @Override
          public Number fromString(String s) {
            return 0;
          }
        });
    NumberAxis rate = new NumberAxis();
    rate.setLabel("MiB/s");
    LineChart<Number, Number> chart = new LineChart<>(time, rate);
    chart.setId("overview-throughput");
    chart.setCreateSymbols(false);
    chart.setAnimated(false);
    chart.setPrefHeight(240);
    read.setName("read");
    write.setName("write");
    chart.getData().addAll(read, write);
    model.throughput.addListener((ListChangeListener<ThroughputSample>) c -> drawChart(model));

    operations.setId("overview-operations");
    model.activeOperations.addListener(
        (ListChangeListener<OperationInfo>) c -> drawOperations(model));
    drawOperations(model);

    ListView<Event> alerts = new ListView<>(model.alerts);
    alerts.setId("overview-alerts");
    alerts.setPrefHeight(180);
    alerts.setPlaceholder(new Label("No alerts"));
    alerts.setCellFactory(
        v ->
            new ListCell<>() {
              @Override
              protected void updateItem(Event e, boolean empty) {
                super.updateItem(e, empty);
                if (empty || e == null) {
                  setText(null);
                  setGraphic(null);
                  return;
                }
                setText(Formats.time(e.getAtMs()) + "  " + e.getMessage());
                setGraphic(Cards.badge(e.getSeverity(), Cards.tone(e.getSeverity())));
              }
            });

    GridPane grid = new GridPane();
    grid.getStyleClass().add("card-grid");
    ColumnConstraints half = new ColumnConstraints();
    half.setPercentWidth(50);
    grid.getColumnConstraints().addAll(half, half);
    grid.add(Cards.card("Health", conditions, mgmtd), 0, 0);
    grid.add(Cards.card("Capacity", capacityText, capacity, free, counts), 1, 0);
    grid.add(Cards.card("Throughput (last 15 minutes)", chart), 0, 1, 2, 1);
    grid.add(Cards.card("Active operations", operations), 0, 2);
    grid.add(Cards.card("Alerts", alerts), 1, 2);
    root = new ScrollPane(grid);
    root.setId("view-overview");
    root.setFitToWidth(true);
  }

  private void drawConditions(OverviewModel model) {
    conditions.getChildren().clear();
    for (Condition c : model.conditions) {
      // Degraded=True is bad news; Ready=True good; the tone follows the meaning, not the word.
      boolean good = c.getType().equals("Degraded") != c.getStatus().equals("True");
      String tone = c.getStatus().equals("Unknown") ? "muted" : good ? "ok" : "bad";
      if (c.getType().equals("Progressing") && c.getStatus().equals("True")) {
        tone = "info";
      }
      Label type = new Label(c.getType());
      type.getStyleClass().add("strong");
      type.setMinWidth(100);
      Label detail =
          new Label(c.getReason() + (c.getMessage().isEmpty() ? "" : ": " + c.getMessage()));
      detail.setWrapText(true);
      detail.getStyleClass().add("muted");
      HBox row = new HBox(10, Cards.badge(c.getStatus(), tone), type, detail);
      row.setAlignment(Pos.CENTER_LEFT);
      row.setId("condition-" + c.getType());
      conditions.getChildren().add(row);
    }
  }

  private void drawChart(OverviewModel model) {
    var r = new java.util.ArrayList<XYChart.Data<Number, Number>>();
    var w = new java.util.ArrayList<XYChart.Data<Number, Number>>();
    for (ThroughputSample s : model.throughput) {
      r.add(new XYChart.Data<>(s.getAtMs(), s.getReadBytesPerS() / (1 << 20)));
      w.add(new XYChart.Data<>(s.getAtMs(), s.getWriteBytesPerS() / (1 << 20)));
    }
    if (!model.throughput.isEmpty()) {
      NumberAxis axis = (NumberAxis) read.getChart().getXAxis();
      long first = model.throughput.getFirst().getAtMs();
      long last = model.throughput.getLast().getAtMs();
      axis.setLowerBound(first);
      axis.setUpperBound(Math.max(last, first + 1));
      axis.setTickUnit(Math.max(1, (last - first) / 6.0));
    }
    read.getData().setAll(r);
    write.getData().setAll(w);
  }

  private void drawOperations(OverviewModel model) {
    operations.getChildren().clear();
    if (model.activeOperations.isEmpty()) {
      Label none = new Label("No operation running");
      none.getStyleClass().add("muted");
      operations.getChildren().add(none);
      return;
    }
    for (OperationInfo op : model.activeOperations) {
      Label name = new Label(op.getKind() + "  " + op.getSummary());
      name.setWrapText(true);
      ProgressBar bar = new ProgressBar(op.getProgress());
      bar.setId("overview-op-" + op.getId());
      bar.setMaxWidth(Double.MAX_VALUE);
      HBox.setHgrow(bar, Priority.ALWAYS);
      Label eta =
          new Label(
              Formats.percent(op.getProgress())
                  + (op.getEtaMs() >= 0 ? "  ETA " + Formats.duration(op.getEtaMs()) : ""));
      eta.getStyleClass().add("muted");
      HBox line = new HBox(8, Cards.badge(op.getState(), Cards.tone(op.getState())), bar, eta);
      line.setAlignment(Pos.CENTER_LEFT);
      operations.getChildren().add(new VBox(4, name, line));
    }
  }
}
