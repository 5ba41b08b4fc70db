package io.catena.console;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The console's views, in navigation order; the lower-case name is what {@code --view} takes. */
public enum ViewName {
  OVERVIEW("Overview"),
  NODES("Nodes"),
  TOPOLOGY("Chain topology"),
  TENANTS("Tenants"),
  HOTSPOTS("Hot spots"),
  ACTIONS("Actions");

  private final String title;

  ViewName(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }

  /** The name used on the command line and in automation ids ("hotspots"). */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ViewName parse(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
    return Arrays.stream(values())
        .filter(v -> v.cliName().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown view '"
                        + name
                        + "'; one of "
                        + Arrays.stream(values())
                            .map(ViewName::cliName)
                            .collect(Collectors.joining(", "))));
  }
}
