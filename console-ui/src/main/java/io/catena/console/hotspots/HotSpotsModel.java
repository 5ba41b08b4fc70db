package io.catena.console.hotspots;

import io.catena.protocol.controlplane.LoadEntry;
import io.catena.protocol.controlplane.Relief;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Load over the chosen window: every target for the heatmap, the top lists, the reliefs. */
public final class HotSpotsModel {
  static final List<String> WINDOWS = List.of("1m", "5m", "15m", "1h");

  final StringProperty window = new SimpleStringProperty("5m");
  final ObjectProperty<List<LoadEntry>> targets = new SimpleObjectProperty<>(List.of());
  final ObservableList<LoadEntry> topChains = FXCollections.observableArrayList();
  final ObservableList<LoadEntry> topTargets = FXCollections.observableArrayList();
  final ObservableList<LoadEntry> topNodes = FXCollections.observableArrayList();
  final ObservableList<LoadEntry> topTenants = FXCollections.observableArrayList();
  final ObservableList<Relief> reliefs = FXCollections.observableArrayList();
  final StringProperty summary = new SimpleStringProperty("");
  final StringProperty message = new SimpleStringProperty("");
}
