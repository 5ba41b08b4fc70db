package io.catena.console.overview;

import io.catena.console.ConsoleContext;
import io.catena.console.Formats;
import io.catena.console.ViewController;
import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.GetStatusRequest;
import io.catena.protocol.controlplane.ListOperationsReply;
import io.catena.protocol.controlplane.ListOperationsRequest;
import io.catena.protocol.controlplane.StateCount;
import io.catena.protocol.controlplane.ThroughputReply;
import io.catena.protocol.controlplane.ThroughputRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import javafx.collections.transformation.FilteredList;
import javafx.scene.Node;

/** Loads status, throughput and active operations; alerts come from the event feed. */
public final class OverviewController implements ViewController {

  private final ConsoleContext context;
  private final OverviewModel model = new OverviewModel();
  private final OverviewView view;

  public OverviewController(ConsoleContext context) {
    this.context = context;
    model.alerts =
        new FilteredList<>(
            context.events().events(),
            e -> e.getKind() == Event.Kind.ALERT || !"INFO".equals(e.getSeverity()));
    view = new OverviewView(model);
  }

  private record Snapshot(
      ClusterStatusReply status, ThroughputReply throughput, ListOperationsReply operations) {}

  @Override
  public Node view() {
    return view.root;
  }

  @Override
  public CompletableFuture<Void> refresh() {
    return context
        .background()
        .run(
            "load overview",
            () ->
                new Snapshot(
                    context.api().controlPlane().getStatus(GetStatusRequest.getDefaultInstance()),
                    context
                        .api()
                        .operations()
                        .getThroughput(ThroughputRequest.newBuilder().setWindow("15m").build()),
                    context
                        .api()
                        .operations()
                        .listOperations(
                            ListOperationsRequest.newBuilder().setActiveOnly(true).build())),
            this::apply)
        .thenApply(s -> null);
  }

  private void apply(Snapshot s) {
    ClusterStatusReply status = s.status();
    model.conditions.setAll(status.getConditionsList());
    model.capacityBytes.set(status.getCapacityBytes());
    model.usedBytes.set(status.getUsedBytes());
    model.counts.set(
        status.getNodes()
            + " nodes  ·  targets "
            + counts(status.getTargetsByStateList())
            + "  ·  chains "
            + counts(status.getChainsByStateList()));
    model.mgmtd.set(
        "mgmtd primary "
            + (status.getMgmtdPrimary().isEmpty() ? "none" : status.getMgmtdPrimary())
            + Formats.routingVersion("  ·  ", status.getRoutingVersion()));
    model.throughput.setAll(s.throughput().getSamplesList());
    model.activeOperations.setAll(s.operations().getOperationsList());
  }

  static String counts(List<StateCount> counts) {
    if (counts.isEmpty()) {
      return "none";
    }
    return counts.stream()
        .map(c -> c.getCount() + " " + c.getState().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
