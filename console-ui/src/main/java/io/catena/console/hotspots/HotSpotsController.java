package io.catena.console.hotspots;

import io.catena.console.ConsoleContext;
import io.catena.console.Formats;
import io.catena.console.ViewController;
import io.catena.console.ViewName;
import io.catena.protocol.controlplane.HotSpotsReply;
import io.catena.protocol.controlplane.HotSpotsRequest;
import io.catena.protocol.controlplane.LoadEntry;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.Relief;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.scene.Node;

/** Loads hot-spot data for the chosen window; plans a suggested relief in one click. */
public final class HotSpotsController implements ViewController {

  static final int TOP = 10;

  private final ConsoleContext context;
  private final Consumer<OperationInfo> onPlanned;
  private final HotSpotsModel model = new HotSpotsModel();
  private final HotSpotsView view;

  /**
   * @param onPlanned receives an operation planned from a relief (the actions view tracks it)
   */
  public HotSpotsController(ConsoleContext context, Consumer<OperationInfo> onPlanned) {
    this.context = context;
    this.onPlanned = onPlanned;
    view = new HotSpotsView(model, context.theme(), this::plan);
    model.window.addListener((o, was, now) -> refresh());
  }

  @Override
  public Node view() {
    return view.root;
  }

  @Override
  public CompletableFuture<Void> refresh() {
    String window = model.window.get();
    return context
        .background()
        .run(
            "load hot spots",
            () ->
                context
                    .api()
                    .operations()
                    .getHotSpots(
                        HotSpotsRequest.newBuilder().setWindow(window).setTop(TOP).build()),
            this::apply)
        .thenApply(r -> null);
  }

  private void apply(HotSpotsReply reply) {
    model.targets.set(reply.getTargetsList());
    model.topChains.setAll(reply.getTopChainsList());
    model.topTargets.setAll(reply.getTopTargetsList());
    model.topNodes.setAll(reply.getTopNodesList());
    model.topTenants.setAll(reply.getTopTenantsList());
    model.reliefs.setAll(reply.getReliefsList());
    long hot = reply.getTargetsList().stream().filter(LoadEntry::getHot).count();
    double read = reply.getTargetsList().stream().mapToDouble(LoadEntry::getReadBytesPerS).sum();
    double write = reply.getTargetsList().stream().mapToDouble(LoadEntry::getWriteBytesPerS).sum();
    model.summary.set(
        reply.getTargetsCount()
            + " targets · "
            + hot
            + " hot · read "
            + Formats.rate(read)
            + " · write "
            + Formats.rate(write)
            + " over "
            + reply.getWindow());
  }

  private void plan(Relief relief) {
    model.message.set("Planning: " + relief.getDescription());
    context
        .background()
        .run(
            "plan relief",
            () ->
                context
                    .api()
                    .operations()
                    .planOperation(
                        relief.getOperation().toBuilder()
                            .setAutoApprove(false)
                            .setRequestedBy(context.user())
                            .build()),
            op -> {
              model.message.set(
                  "Planned " + op.getKind() + " " + op.getId() + ": review it in Actions");
              onPlanned.accept(op);
              context.navigate().accept(ViewName.ACTIONS);
            })
        .exceptionally(
            e -> {
              model.message.set("Planning failed (see above)");
              return null;
            });
  }
}
