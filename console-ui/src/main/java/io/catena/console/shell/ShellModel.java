package io.catena.console.shell;

import io.catena.console.Theme;
import io.catena.console.ViewName;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;

/** The shell's state: which view, which theme, the connection, current errors by call. */
public final class ShellModel {
  final ObjectProperty<ViewName> view = new SimpleObjectProperty<>(ViewName.OVERVIEW);
  final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(Theme.LIGHT);
  final StringProperty connection = new SimpleStringProperty("");
  final StringProperty lastRefresh = new SimpleStringProperty("");

  /** call name → one-line error; insertion ordered so the banner shows the oldest first. */
  final ObservableMap<String, String> errors =
      FXCollections.observableMap(new java.util.LinkedHashMap<>());

  public ObjectProperty<ViewName> view() {
    return view;
  }

  public ObjectProperty<Theme> theme() {
    return theme;
  }

  public ObservableMap<String, String> errors() {
    return errors;
  }
}
