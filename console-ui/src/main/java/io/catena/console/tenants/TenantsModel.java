package io.catena.console.tenants;

import io.catena.protocol.controlplane.TenantInfo;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Tenants, the form, the one-time token and the delete confirmation. */
public final class TenantsModel {
  final ObservableList<TenantInfo> tenants = FXCollections.observableArrayList();
  final ObjectProperty<TenantInfo> selected = new SimpleObjectProperty<>();
  final StringProperty name = new SimpleStringProperty("");
  final StringProperty quotaGib = new SimpleStringProperty("");
  final StringProperty quotaFiles = new SimpleStringProperty("");

  /** The token just issued; cleared when dismissed or when the view is left. */
  final StringProperty token = new SimpleStringProperty("");

  final StringProperty tokenFor = new SimpleStringProperty("");
  final BooleanProperty confirmingDelete = new SimpleBooleanProperty();
  final StringProperty message = new SimpleStringProperty("");
  final BooleanProperty messageIsError = new SimpleBooleanProperty();
}
