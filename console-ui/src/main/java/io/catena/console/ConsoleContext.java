package io.catena.console;

import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;

/**
 * What every view controller gets: the API, the background runner, the event feed, the current
 * theme (canvases redraw with its palette), and a way to show another view.
 */
public record ConsoleContext(
    ControlPlaneApi api,
    Background background,
    EventFeed events,
    ObjectProperty<Theme> theme,
    Consumer<ViewName> navigate,
    String user) {}
