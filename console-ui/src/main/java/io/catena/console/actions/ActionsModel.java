package io.catena.console.actions;

import io.catena.protocol.controlplane.AuditEntry;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.SelfHealingState;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The wizard, the other actions' inputs, operations, events, audit and self-healing. */
public final class ActionsModel {
  final ObjectProperty<WizardStep> step = new SimpleObjectProperty<>(WizardStep.CONFIGURE);
  final ObjectProperty<OperationInfo> tracked = new SimpleObjectProperty<>();
  final IntegerProperty addNodes = new SimpleIntegerProperty(3);
  final IntegerProperty stepSize = new SimpleIntegerProperty(0);
  final StringProperty mode = new SimpleStringProperty("auto");

  final StringProperty repairTarget = new SimpleStringProperty("");
  final StringProperty drainNode = new SimpleStringProperty();
  final BooleanProperty decommission = new SimpleBooleanProperty();
  final ObservableList<String> nodeNames = FXCollections.observableArrayList();

  final ObservableList<OperationInfo> operations = FXCollections.observableArrayList();
  final ObjectProperty<OperationInfo> selectedOperation = new SimpleObjectProperty<>();
  final ObservableList<AuditEntry> audit = FXCollections.observableArrayList();
  ObservableList<Event> events = FXCollections.observableArrayList();
  final ObjectProperty<SelfHealingState> selfHealing = new SimpleObjectProperty<>();
  final StringProperty message = new SimpleStringProperty("");
}
