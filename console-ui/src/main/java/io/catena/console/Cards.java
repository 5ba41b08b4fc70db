package io.catena.console;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** Small view helpers shared by the views: titled cards and state badges. */
public final class Cards {

  private Cards() {}

  public static VBox card(String title, Node... body) {
    Label heading = new Label(title);
    heading.getStyleClass().add("card-title");
    VBox card = new VBox(8, heading);
    card.getChildren().addAll(body);
    card.getStyleClass().add("card");
    return card;
  }

  /** A label styled by a state word: ok / warn / bad / info / muted. */
  public static Label badge(String text, String tone) {
    Label label = new Label(text);
    label.getStyleClass().addAll("badge", "badge-" + tone);
    return label;
  }

  /** The tone a state word is shown in. */
  public static String tone(String state) {
    return switch (state) {
      case "SERVING", "HEALTHY", "ACTIVE", "SUCCEEDED", "DONE", "UPTODATE", "True" -> "ok";
      case "SYNCING", "RUNNING", "STARTING", "PLANNED", "PROGRESSING" -> "info";
      case "WAITING", "LASTSRV", "DRAINING", "WARNING", "NOT_RUNNING" -> "warn";
      case "OFFLINE", "FAILING", "FAILED", "REFUSED", "ERROR", "UNAVAILABLE", "HOT" -> "bad";
      default -> "muted";
    };
  }
}
