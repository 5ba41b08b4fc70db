package io.catena.console;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;

/** Read-only table columns computed from the row, optionally shown as a state badge. */
public final class Tables {

  private Tables() {}

  public static <S, T> TableColumn<S, T> column(String title, double width, Function<S, T> value) {
    TableColumn<S, T> column = new TableColumn<>(title);
    column.setPrefWidth(width);
    column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
    return column;
  }

  public static <S> TableColumn<S, String> badgeColumn(
      String title, double width, Function<S, String> value) {
    TableColumn<S, String> column = column(title, width, value);
    column.setCellFactory(
        c ->
            new TableCell<>() {
              @Override
              protected void updateItem(String state, boolean empty) {
                super.updateItem(state, empty);
                setText(null);
                setGraphic(empty || state == null ? null : Cards.badge(state, Cards.tone(state)));
              }
            });
    return column;
  }
}
