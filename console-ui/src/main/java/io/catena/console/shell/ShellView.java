package io.catena.console.shell;

import io.catena.console.Theme;
import io.catena.console.ViewName;
import java.util.EnumMap;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.StatusBar;

/** Navigation on the left, the current view in the middle, errors on top, status at the bottom. */
public final class ShellView {

  final BorderPane root = new BorderPane();
  final Map<ViewName, ToggleButton> nav = new EnumMap<>(ViewName.class);
  final Button refresh = new Button("Refresh");
  final ToggleButton dark = new ToggleButton("Dark");
  final Label errorText = new Label();
  final Button dismissErrors = new Button("Dismiss");
  final HBox errorBanner = new HBox(12, errorText, spacer(), dismissErrors);
  private final StackPane content = new StackPane();
  private final Label title = new Label();

  ShellView(ShellModel model) {
    root.setId("console-root");
    root.getStyleClass().add("console");

    VBox sidebar = new VBox(4);
    sidebar.getStyleClass().add("sidebar");
    Label brand = new Label("Catena");
    brand.getStyleClass().add("brand");
    sidebar.getChildren().add(brand);
    ToggleGroup group = new ToggleGroup();
    for (ViewName view : ViewName.values()) {
      ToggleButton button = new ToggleButton(view.title());
      button.setId("nav-" + view.cliName());
      button.setToggleGroup(group);
      button.setMaxWidth(Double.MAX_VALUE);
      button.getStyleClass().add("nav-button");
      nav.put(view, button);
      sidebar.getChildren().add(button);
    }
    Region grow = new Region();
    VBox.setVgrow(grow, Priority.ALWAYS);
    dark.setId("theme-dark");
    dark.setMaxWidth(Double.MAX_VALUE);
    dark.getStyleClass().add("nav-button");
    sidebar.getChildren().addAll(grow, dark);
    root.setLeft(sidebar);

    title.getStyleClass().add("view-title");
    title
        .textProperty()
        .bind(Bindings.createStringBinding(() -> model.view.get().title(), model.view));
    refresh.setId("refresh");
    Label connection = new Label();
    connection.setId("connection");
    connection.getStyleClass().add("muted");
    connection.textProperty().bind(model.connection);
    HBox header = new HBox(12, title, spacer(), connection, refresh);
    header.setAlignment(Pos.CENTER_LEFT);
    header.getStyleClass().add("header");

    errorBanner.setId("error-banner");
    errorText.setId("error-text");
    errorText.setWrapText(true);
    dismissErrors.setId("error-dismiss");
    errorBanner.getStyleClass().add("error-banner");
    errorBanner.setAlignment(Pos.CENTER_LEFT);
    errorBanner.visibleProperty().bind(Bindings.isNotEmpty(model.errors));
    errorBanner.managedProperty().bind(errorBanner.visibleProperty());
    errorText
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    String.join(
                        "\n",
                        model.errors.entrySet().stream()
                            .map(e -> e.getKey() + " failed: " + e.getValue())
                            .toList()),
                model.errors));

    content.getStyleClass().add("content");
    VBox.setVgrow(content, Priority.ALWAYS);
    VBox center = new VBox(header, errorBanner, content);
    root.setCenter(center);

    StatusBar status = new StatusBar();
    status.setId("status-bar");
    status.textProperty().bind(Bindings.concat("Updated ", model.lastRefresh));
    root.setBottom(status);
    BorderPane.setMargin(status, Insets.EMPTY);

    model.view.addListener((o, was, now) -> nav.get(now).setSelected(true));
    nav.get(model.view.get()).setSelected(true);
    dark.setSelected(model.theme.get() == Theme.DARK);
  }

  void setContent(Node node) {
    content.getChildren().setAll(node);
  }

  public BorderPane root() {
    return root;
  }

  private static Region spacer() {
    Region r = new Region();
    HBox.setHgrow(r, Priority.ALWAYS);
    return r;
  }
}
