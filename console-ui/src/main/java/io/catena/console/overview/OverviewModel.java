package io.catena.console.overview;

import io.catena.protocol.controlplane.Condition;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.ThroughputSample;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** What the overview shows; written by the controller, bound by the view. */
public final class OverviewModel {
  final ObservableList<Condition> conditions = FXCollections.observableArrayList();
  final LongProperty capacityBytes = new SimpleLongProperty();
  final LongProperty usedBytes = new SimpleLongProperty();
  final StringProperty counts = new SimpleStringProperty("");
  final StringProperty mgmtd = new SimpleStringProperty("");
  final ObservableList<ThroughputSample> throughput = FXCollections.observableArrayList();
  final ObservableList<OperationInfo> activeOperations = FXCollections.observableArrayList();
  ObservableList<Event> alerts = FXCollections.observableArrayList();
}
