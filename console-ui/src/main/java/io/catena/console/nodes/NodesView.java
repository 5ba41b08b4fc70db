package io.catena.console.nodes;

import io.catena.console.Cards;
import io.catena.console.Formats;
import io.catena.console.Tables;
import io.catena.protocol.controlplane.DaemonInfo;
import io.catena.protocol.controlplane.NodeInfo;
import javafx.beans.binding.Bindings;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Nodes on top, every daemon below with its actions. */
final class NodesView {

  final SplitPane root = new SplitPane();
  final Button start = new Button("Start");
  final Button stop = new Button("Stop");
  final Button restart = new Button("Restart");
  private final TableView<DaemonInfo> daemons = new TableView<>();

  NodesView(NodesModel model) {
    root.setId("view-nodes");
    root.setOrientation(Orientation.VERTICAL);

    TableView<NodeInfo> nodes = new TableView<>(model.nodes);
    nodes.setId("nodes-table");
    nodes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    nodes.getColumns().add(Tables.column("Node", 140, NodeInfo::getName));
    nodes.getColumns().add(Tables.column("Id", 50, NodeInfo::getNodeId));
    nodes.getColumns().add(Tables.badgeColumn("State", 120, NodeInfo::getState));
    nodes.getColumns().add(Tables.column("Failure domain", 140, NodesController::domain));
    nodes.getColumns().add(Tables.column("Disks", 60, NodeInfo::getDisksCount));
    nodes
        .getColumns()
        .add(
            Tables.column(
                "Daemons healthy",
                120,
                n ->
                    n.getDaemonsList().stream().filter(d -> d.getState().equals("HEALTHY")).count()
                        + " / "
                        + n.getDaemonsCount()));
    nodes.getColumns().add(Tables.column("Agent", 160, NodeInfo::getAgentEndpoint));
    nodes.setPlaceholder(new Label("No nodes"));

    TextField filter = new TextField();
    filter.setId("daemons-filter");
    filter.setPromptText("Filter by node, daemon, kind or state");
    FilteredList<DaemonInfo> shown = new FilteredList<>(model.daemons);
    shown
        .predicateProperty()
        .bind(
            Bindings.createObjectBinding(
                () -> {
                  String f = filter.getText().toLowerCase(java.util.Locale.ROOT).trim();
                  return d ->
                      f.isEmpty()
                          || (d.getNode()
                                  + " "
                                  + d.getName()
                                  + " "
                                  + d.getKind()
                                  + " "
                                  + d.getState())
                              .toLowerCase(java.util.Locale.ROOT)
                              .contains(f);
                },
                filter.textProperty()));
    daemons.setItems(shown);
    daemons.setId("daemons-table");
    daemons.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    daemons.getColumns().add(Tables.column("Node", 110, DaemonInfo::getNode));
    daemons.getColumns().add(Tables.column("Daemon", 110, DaemonInfo::getName));
    daemons.getColumns().add(Tables.column("Kind", 70, DaemonInfo::getKind));
    daemons.getColumns().add(Tables.badgeColumn("State", 110, DaemonInfo::getState));
    daemons.getColumns().add(Tables.column("Version", 80, DaemonInfo::getVersion));
    daemons.getColumns().add(Tables.column("Restarts", 70, DaemonInfo::getRestarts));
    daemons
        .getColumns()
        .add(
            Tables.column(
                "Uptime", 80, d -> d.getUptimeMs() > 0 ? Formats.duration(d.getUptimeMs()) : ""));
    daemons.getColumns().add(Tables.column("Last error", 220, DaemonInfo::getLastError));
    daemons.setPlaceholder(new Label("No daemons"));
    model.selected.bind(daemons.getSelectionModel().selectedItemProperty());

    start.setId("daemon-start");
    stop.setId("daemon-stop");
    restart.setId("daemon-restart");
    for (Button b : new Button[] {start, stop, restart}) {
      b.disableProperty().bind(model.selected.isNull());
    }
    Label message = new Label();
    message.setId("nodes-message");
    message.getStyleClass().add("muted");
    message.textProperty().bind(model.message);
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox.setHgrow(filter, Priority.SOMETIMES);
    HBox bar = new HBox(8, filter, grow, message, start, stop, restart);
    bar.setAlignment(Pos.CENTER_LEFT);
    VBox.setVgrow(daemons, Priority.ALWAYS);
    VBox.setVgrow(nodes, Priority.ALWAYS);

    root.getItems().addAll(Cards.card("Nodes", nodes), Cards.card("Daemons", bar, daemons));
    root.setDividerPositions(0.4);
  }

  void select(DaemonInfo daemon) {
    daemons.getSelectionModel().select(daemon);
  }
}
