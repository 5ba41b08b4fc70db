package io.catena.console.topology;

import io.catena.console.ConsoleContext;
import io.catena.console.Formats;
import io.catena.console.ViewController;
import io.catena.protocol.controlplane.ChainInfo;
import io.catena.protocol.controlplane.ListChainsReply;
import io.catena.protocol.controlplane.ListNodesReply;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.ListTargetsReply;
import io.catena.protocol.controlplane.NodeInfo;
import io.catena.protocol.controlplane.TargetInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javafx.scene.Node;

/** Loads nodes, targets and chains; turns them into cells; tracks the selected chain. */
public final class TopologyController implements ViewController {

  private final ConsoleContext context;
  private final TopologyModel model = new TopologyModel();
  private final TopologyView view;

  public TopologyController(ConsoleContext context) {
    this.context = context;
    view = new TopologyView(model, context.theme());
    view.canvas.setOnChainClicked(this::select);
    view.chainList
        .getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, was, now) -> {
              if (now != null && now.getChainId() != model.selectedChainId.get()) {
                select(now.getChainId());
              }
            });
  }

  private record Loaded(
      List<TargetCell> cells,
      Map<String, String> nodeStates,
      List<ChainInfo> chains,
      String summary) {}

  @Override
  public Node view() {
    return view.root;
  }

  @Override
  public CompletableFuture<Void> refresh() {
    return context
        .background()
        .run(
            "load topology",
            () -> {
              var cp = context.api().controlPlane();
              ListNodesReply nodes = cp.listNodes(ListRequest.getDefaultInstance());
              ListTargetsReply targets = cp.listTargets(ListRequest.getDefaultInstance());
              ListChainsReply chains = cp.listChains(ListRequest.getDefaultInstance());
              return load(nodes, targets, chains);
            },
            this::apply)
        .thenApply(r -> null);
  }

  static Loaded load(ListNodesReply nodes, ListTargetsReply targets, ListChainsReply chains) {
    Map<String, String> domains = new HashMap<>();
    Map<String, String> states = new HashMap<>();
    for (NodeInfo n : nodes.getNodesList()) {
      domains.put(n.getName(), failureDomain(n));
      states.put(n.getName(), n.getState());
    }
    List<TargetCell> cells = new ArrayList<>(targets.getTargetsCount());
    Map<String, Integer> byState = new TreeMap<>();
    for (TargetInfo t : targets.getTargetsList()) {
      cells.add(
          new TargetCell(
              t.getTargetId(),
              domains.getOrDefault(t.getNode(), ""),
              t.getNode(),
              t.getDisk(),
              t.getChainId(),
              t.getPublicState()));
      byState.merge(t.getPublicState(), 1, Integer::sum);
    }
    String summary =
        nodes.getNodesCount()
            + " nodes · "
            + targets.getTargetsCount()
            + " targets · "
            + chains.getChainsCount()
            + " chains"
            + Formats.routingVersion(" · ", chains.getRoutingVersion());
    return new Loaded(List.copyOf(cells), Map.copyOf(states), chains.getChainsList(), summary);
  }

  /** zone/rack from the node's labels; the heading the node is grouped under. */
  static String failureDomain(NodeInfo node) {
    String zone = node.getLabelsOrDefault("zone", "");
    String rack = node.getLabelsOrDefault("rack", "");
    if (zone.isEmpty() && rack.isEmpty()) {
      return "";
    }
    return zone.isEmpty()
        ? named("rack", rack)
        : rack.isEmpty() ? named("zone", zone) : named("zone", zone) + " · " + named("rack", rack);
  }

  /** "rack 1", but "rack-1" as it is: a local cluster's labels already say what they are. */
  private static String named(String kind, String value) {
    return value.toLowerCase(java.util.Locale.ROOT).startsWith(kind) ? value : kind + " " + value;
  }

  private void apply(Loaded loaded) {
    model.nodeStates.set(loaded.nodeStates());
    model.cells.set(loaded.cells());
    model.chains.setAll(loaded.chains());
    model.summary.set(loaded.summary());
    select(model.selectedChainId.get());
  }

  void select(int chainId) {
    model.selectedChainId.set(chainId);
    model.selectedChain.set(
        model.chains.stream().filter(c -> c.getChainId() == chainId).findFirst().orElse(null));
  }
}
