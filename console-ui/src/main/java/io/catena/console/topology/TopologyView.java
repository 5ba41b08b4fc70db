package io.catena.console.topology;

import io.catena.console.Cards;
import io.catena.console.Formats;
import io.catena.console.Theme;
import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.TargetInfo;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/** The target map (canvas) on the left; the chain list and the selected chain on the right. */
final class TopologyView {

  final SplitPane root = new SplitPane();
  final TopologyCanvas canvas;
  final ListView<ChainInfo> chainList = new ListView<>();
  private final VBox order = new VBox(4);

  TopologyView(TopologyModel model, ObjectProperty<Theme> theme) {
    root.setId("view-topology");
    canvas = new TopologyCanvas(theme.get().palette());
    theme.addListener((o, was, now) -> canvas.setPalette(now.palette()));
    model.cells.addListener((o, was, now) -> canvas.setData(now, model.nodeStates.get()));
    model.selectedChainId.addListener(
        (o, was, now) -> {
          canvas.setSelectedChain(now.intValue());
          canvas.reveal(now.intValue());
        });

    Label summary = new Label();
    summary.setId("topology-summary");
    summary.textProperty().bind(model.summary);
    FlowPane legend = new FlowPane(12, 4);
    for (String state :
        new String[] {"SERVING", "SYNCING", "WAITING", "LASTSRV", "OFFLINE", "SPARE"}) {
      Rectangle swatch = new Rectangle(11, 11);
      swatch.setArcWidth(3);
      swatch.setArcHeight(3);
      swatch
          .fillProperty()
          .bind(
              Bindings.createObjectBinding(
                  () -> theme.get().palette().forTargetState(state), theme));
      Label l = new Label(state.toLowerCase(Locale.ROOT), swatch);
      l.getStyleClass().add("muted");
      legend.getChildren().add(l);
    }
    HBox top = new HBox(16, summary, legend);
    top.setAlignment(Pos.CENTER_LEFT);
    VBox.setVgrow(canvas, Priority.ALWAYS);
    VBox map = Cards.card("Nodes → disks → targets, by failure domain", top, canvas);

    TextField filter = new TextField();
    filter.setId("chains-filter");
    filter.setPromptText("Chain id, node or state");
    FilteredList<ChainInfo> shown = new FilteredList<>(model.chains);
    shown
        .predicateProperty()
        .bind(
            Bindings.createObjectBinding(
                () -> {
                  String f = filter.getText().trim().toLowerCase(Locale.ROOT);
                  return c -> f.isEmpty() || describe(c).toLowerCase(Locale.ROOT).contains(f);
                },
                filter.textProperty()));
    chainList.setItems(shown);
    chainList.setId("topology-chains");
    chainList.setFixedCellSize(28);
    chainList.setCellFactory(
        v ->
            new ListCell<>() {
              @Override
              protected void updateItem(ChainInfo c, boolean empty) {
                super.updateItem(c, empty);
                if (empty || c == null) {
                  setText(null);
                  setGraphic(null);
                  return;
                }
                setText("chain " + c.getChainId() + "   v" + c.getVersion() + "   " + members(c));
                String state = chainState(c);
                setGraphic(Cards.badge(state, Cards.tone(state)));
              }
            });
    chainList.setPlaceholder(new Label("No chains"));
    VBox.setVgrow(chainList, Priority.ALWAYS);
    model.selectedChain.addListener(
        (o, was, now) -> {
          if (now != null && chainList.getSelectionModel().getSelectedItem() != now) {
            chainList.getSelectionModel().select(now);
          }
          if (now != null && (was == null || was.getChainId() != now.getChainId())) {
            chainList.scrollTo(Math.max(0, chainList.getItems().indexOf(now) - 3));
          }
        });

    Label title = new Label();
    title.setId("chain-title");
    title.getStyleClass().add("strong");
    ProgressBar sync = new ProgressBar();
    sync.setId("chain-sync");
    sync.setMaxWidth(Double.MAX_VALUE);
    Label syncText = new Label();
    syncText.getStyleClass().add("muted");
    order.setId("chain-order");
    model.selectedChain.addListener(
        (o, was, now) -> {
          order.getChildren().clear();
          if (now == null) {
            title.setText("Select a chain (list or map)");
            sync.setProgress(0);
            syncText.setText("");
            return;
          }
          title.setText(
              "Chain "
                  + now.getChainId()
                  + " · version "
                  + now.getVersion()
                  + " · table "
                  + now.getChainTableId());
          sync.setProgress(now.getSyncProgress());
          syncText.setText(
              now.getSyncProgress() >= 1
                  ? "in sync"
                  : "syncing " + Formats.percent(now.getSyncProgress()));
          for (int i = 0; i < now.getTargetsCount(); i++) {
            TargetInfo t = now.getTargets(i);
            String role = i == 0 ? "head" : i == now.getTargetsCount() - 1 ? "tail" : "middle";
            Label roleLabel = new Label(role);
            roleLabel.setMinWidth(50);
            roleLabel.getStyleClass().add("muted");
            Label where =
                new Label("target " + t.getTargetId() + "  " + t.getNode() + " " + t.getDisk());
            HBox row =
                new HBox(
                    8,
                    roleLabel,
                    Cards.badge(t.getPublicState(), Cards.tone(t.getPublicState())),
                    where);
            row.setAlignment(Pos.CENTER_LEFT);
            row.setId("chain-member-" + i);
            order.getChildren().add(row);
          }
        });
    title.setText("Select a chain (list or map)");
    VBox detail = Cards.card("Selected chain (head → tail)", title, sync, syncText, order);
    detail.setId("chain-detail");
    VBox chains = Cards.card("Chains", filter, chainList);
    VBox.setVgrow(chains, Priority.ALWAYS);
    VBox side = new VBox(12, chains, detail);
    root.getItems().addAll(map, side);
    root.setDividerPositions(0.62);
  }

  static String chainState(ChainInfo c) {
    long serving =
        c.getTargetsList().stream().filter(t -> t.getPublicState().equals("SERVING")).count();
    if (serving == c.getTargetsCount()) {
      return "SERVING";
    }
    if (serving == 0) {
      return "UNAVAILABLE";
    }
    return c.getTargetsList().stream().anyMatch(t -> t.getPublicState().equals("SYNCING"))
        ? "SYNCING"
        : "WAITING";
  }

  private static String members(ChainInfo c) {
    return String.join(" → ", c.getTargetsList().stream().map(TargetInfo::getNode).toList());
  }

  private static String describe(ChainInfo c) {
    return c.getChainId() + " " + chainState(c) + " " + members(c);
  }
}
