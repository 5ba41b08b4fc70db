package io.catena.console;

import java.util.Locale;
import javafx.scene.paint.Color;

/** Light and dark: a style sheet for controls and a palette for what canvases draw. */
public enum Theme {
  LIGHT(
      "light.css",
      new Palette(
          Color.web("#ffffff"),
          Color.web("#1f2328"),
          Color.web("#656d76"),
          Color.web("#d0d7de"),
          Color.web("#1a7f37"),
          Color.web("#0969da"),
          Color.web("#bf8700"),
          Color.web("#cf222e"),
          Color.web("#8c959f"),
          Color.web("#8250df"))),
  DARK(
      "dark.css",
      new Palette(
          Color.web("#161b22"),
          Color.web("#e6edf3"),
          Color.web("#8d96a0"),
          Color.web("#30363d"),
          Color.web("#3fb950"),
          Color.web("#4493f8"),
          Color.web("#d29922"),
          Color.web("#f85149"),
          Color.web("#6e7681"),
          Color.web("#ab7df8")));

  private final String styleSheet;
  private final Palette palette;

  Theme(String styleSheet, Palette palette) {
    this.styleSheet = styleSheet;
    this.palette = palette;
  }

  public String styleSheetUrl() {
    return Theme.class.getResource(styleSheet).toExternalForm();
  }

  public static String baseStyleSheetUrl() {
    return Theme.class.getResource("console.css").toExternalForm();
  }

  public Palette palette() {
    return palette;
  }

  public static Theme parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown theme '" + name + "'; one of light, dark", e);
    }
  }

  /** Colours for canvas drawing, matching the style sheet's. */
  public record Palette(
      Color surface,
      Color text,
      Color muted,
      Color border,
      Color ok,
      Color syncing,
      Color warn,
      Color bad,
      Color offline,
      Color highlight) {

    /** A target's public state as a colour: serving green, syncing blue, waiting amber, ... */
    public Color forTargetState(String state) {
      return switch (state) {
        case "SERVING" -> ok;
        case "SYNCING" -> syncing;
        case "WAITING", "LASTSRV" -> warn;
        case "OFFLINE" -> bad;
        case "SPARE" -> syncing.deriveColor(0, 0.25, 1.15, 0.6);
        default -> offline;
      };
    }

    /**
     * Load score (1 = cluster mean) on a ramp: up to the mean a calm blue that deepens with load,
     * from 1× to 2× towards amber, from 2× (hot) to 3× and above towards red.
     */
    public Color forLoad(double score) {
      Color idle = syncing.deriveColor(0, 0.35, 1, 0.25);
      Color mean = syncing.deriveColor(0, 0.8, 1, 0.6);
      if (score <= 1) {
        return idle.interpolate(mean, Math.max(0, score));
      }
      if (score <= 2) {
        return mean.interpolate(warn, score - 1);
      }
      return warn.interpolate(bad, Math.min(1, score - 2));
    }
  }
}
