package io.catena.console.nodes;

import io.catena.console.ConsoleContext;
import io.catena.console.ViewController;
import io.catena.protocol.controlplane.DaemonActionRequest;
import io.catena.protocol.controlplane.DaemonInfo;
import io.catena.protocol.controlplane.ListNodesReply;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.NodeInfo;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.scene.Node;

/** Lists nodes and daemons; starts, stops and restarts a daemon through the control plane. */
public final class NodesController implements ViewController {

  private final ConsoleContext context;
  private final NodesModel model = new NodesModel();
  private final NodesView view;

  public NodesController(ConsoleContext context) {
    this.context = context;
    view = new NodesView(model);
    view.start.setOnAction(e -> act(DaemonActionRequest.Action.START));
    view.stop.setOnAction(e -> act(DaemonActionRequest.Action.STOP));
    view.restart.setOnAction(e -> act(DaemonActionRequest.Action.RESTART));
  }

  @Override
  public Node view() {
    return view.root;
  }

  @Override
  public CompletableFuture<Void> refresh() {
    return context
        .background()
        .run(
            "list nodes",
            () -> context.api().controlPlane().listNodes(ListRequest.getDefaultInstance()),
            this::apply)
        .thenApply(r -> null);
  }

  private void apply(ListNodesReply reply) {
    DaemonInfo selected = model.selected.get();
    model.nodes.setAll(reply.getNodesList());
    model.daemons.setAll(
        reply.getNodesList().stream().flatMap(n -> n.getDaemonsList().stream()).toList());
    if (selected != null) {
      model.daemons.stream()
          .filter(
              d -> d.getNode().equals(selected.getNode()) && d.getName().equals(selected.getName()))
          .findFirst()
          .ifPresent(view::select);
    }
  }

  private void act(DaemonActionRequest.Action action) {
    DaemonInfo daemon = model.selected.get();
    if (daemon == null) {
      return;
    }
    String verb = action.name().toLowerCase(Locale.ROOT);
    model.message.set(verb + " " + daemon.getName() + " on " + daemon.getNode() + " …");
    context
        .background()
        .run(
            verb + " " + daemon.getName(),
            () ->
                context
                    .api()
                    .controlPlane()
                    .daemonAction(
                        DaemonActionRequest.newBuilder()
                            .setNode(daemon.getNode())
                            .setDaemon(daemon.getName())
                            .setAction(action)
                            .build()),
            after -> {
              model.message.set(
                  verb
                      + " "
                      + after.getName()
                      + " on "
                      + after.getNode()
                      + ": "
                      + after.getState());
              refresh();
            })
        .exceptionally(
            e -> {
              model.message.set(verb + " " + daemon.getName() + " failed (see above)");
              return null;
            });
  }

  static String domain(NodeInfo node) {
    String rack = node.getLabelsOrDefault("rack", "");
    String zone = node.getLabelsOrDefault("zone", "");
    return String.join(
        "/", java.util.stream.Stream.of(zone, rack).filter(s -> !s.isEmpty()).toList());
  }
}
