package io.catena.console.topology;

import io.catena.protocol.controlplane.ChainInfo;
import java.util.List;
import java.util.Map;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Targets to draw, chains to list, the selected chain and its detail. */
public final class TopologyModel {
  final ObjectProperty<List<TargetCell>> cells = new SimpleObjectProperty<>(List.of());
  final ObjectProperty<Map<String, String>> nodeStates = new SimpleObjectProperty<>(Map.of());
  final ObservableList<ChainInfo> chains = FXCollections.observableArrayList();
  final IntegerProperty selectedChainId = new SimpleIntegerProperty(-1);
  final ObjectProperty<ChainInfo> selectedChain = new SimpleObjectProperty<>();
  final StringProperty summary = new SimpleStringProperty("");
  final StringProperty filter = new SimpleStringProperty("");
}
