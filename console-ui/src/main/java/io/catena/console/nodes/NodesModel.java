package io.catena.console.nodes;

import io.catena.protocol.controlplane.DaemonInfo;
import io.catena.protocol.controlplane.NodeInfo;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Nodes and their daemons, the selected daemon, and the last action's outcome. */
public final class NodesModel {
  final ObservableList<NodeInfo> nodes = FXCollections.observableArrayList();
  final ObservableList<DaemonInfo> daemons = FXCollections.observableArrayList();
  final ObjectProperty<DaemonInfo> selected = new SimpleObjectProperty<>();
  final StringProperty message = new SimpleStringProperty("");
}
