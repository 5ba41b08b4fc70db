package io.catena.console.actions;

import io.catena.console.ConsoleContext;
import io.catena.console.Formats;
import io.catena.console.ViewController;
import io.catena.console.ViewName;
import io.catena.protocol.controlplane.Drain;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.GetSelfHealingRequest;
import io.catena.protocol.controlplane.ListAuditReply;
import io.catena.protocol.controlplane.ListAuditRequest;
import io.catena.protocol.controlplane.ListNodesReply;
import io.catena.protocol.controlplane.ListOperationsReply;
import io.catena.protocol.controlplane.ListOperationsRequest;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.NodeInfo;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.OperationRef;
import io.catena.protocol.controlplane.PlanOperationRequest;
import io.catena.protocol.controlplane.Repair;
import io.catena.protocol.controlplane.RollingRestart;
import io.catena.protocol.controlplane.ScaleOut;
import io.catena.protocol.controlplane.SelfHealingState;
import io.catena.protocol.controlplane.SetSelfHealingRequest;
import java.util.concurrent.CompletableFuture;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.util.Duration;

/**
 * Plans operations (scale-out from the wizard; repair, drain, rolling restart), approves and
 * cancels them, follows the tracked one to its end, and shows events, audit and self-healing.
 */
public final class ActionsController implements ViewController {

  private final ConsoleContext context;
  private final ActionsModel model = new ActionsModel();
  private final ActionsView view;
  private final Timeline follow;
  private boolean polling;

  public ActionsController(ConsoleContext context) {
    this.context = context;
    model.events = context.events().events();
    view = new ActionsView(model);
    view.plan.setOnAction(e -> planScaleOut());
    view.approve.setOnAction(e -> approve(model.tracked.get()));
    view.cancel.setOnAction(e -> cancel(model.tracked.get()));
    view.cancelRunning.setOnAction(e -> cancel(model.tracked.get()));
    view.done.setOnAction(e -> reset());
    view.openTopology.setOnAction(e -> context.navigate().accept(ViewName.TOPOLOGY));
    view.back.setOnAction(e -> reset());
    view.planRepair.setOnAction(e -> planRepair());
    view.planDrain.setOnAction(e -> planDrain());
    view.planRestart.setOnAction(
        e ->
            plan(
                "rolling restart",
                PlanOperationRequest.newBuilder()
                    .setRollingRestart(RollingRestart.getDefaultInstance())));
    view.selfHealing.setOnAction(e -> setSelfHealing(view.selfHealing.isSelected()));
    view.approveSelected.setOnAction(e -> approve(model.selectedOperation.get()));
    view.cancelSelected.setOnAction(e -> cancel(model.selectedOperation.get()));
    view.followSelected.setOnAction(e -> track(model.selectedOperation.get()));
    model.tracked.addListener(
        (o, was, now) ->
            model.step.set(now == null ? WizardStep.CONFIGURE : WizardStep.of(now.getState())));
    // Progress events move the tracked operation between polls.
    model.events.addListener(
        (ListChangeListener<Event>)
            c -> {
              while (c.next()) {
                for (Event e : c.getAddedSubList()) {
                  if (e.getKind() == Event.Kind.OPERATION && e.hasOperation()) {
                    update(e.getOperation());
                  }
                }
              }
            });
    follow = new Timeline(new KeyFrame(Duration.millis(500), e -> poll()));
    follow.setCycleCount(Animation.INDEFINITE);
    follow.play();
  }

  @Override
  public void close() {
    follow.stop();
  }

  @Override
  public Node view() {
    return view.root;
  }

  /** Shows an operation in the wizard and follows it until it ends. */
  public void track(OperationInfo operation) {
    if (operation != null) {
      model.tracked.set(operation);
      model.message.set("");
    }
  }

  private record Loaded(
      ListOperationsReply operations,
      ListAuditReply audit,
      SelfHealingState selfHealing,
      ListNodesReply nodes) {}

  @Override
  public CompletableFuture<Void> refresh() {
    return context
        .background()
        .run(
            "load operations",
            () ->
                new Loaded(
                    context
                        .api()
                        .operations()
                        .listOperations(ListOperationsRequest.getDefaultInstance()),
                    context
                        .api()
                        .operations()
                        .listAudit(ListAuditRequest.newBuilder().setLimit(200).build()),
                    context
                        .api()
                        .operations()
                        .getSelfHealing(GetSelfHealingRequest.getDefaultInstance()),
                    context.api().controlPlane().listNodes(ListRequest.getDefaultInstance())),
            loaded -> {
              OperationInfo selected = model.selectedOperation.get();
              model.operations.setAll(loaded.operations().getOperationsList());
              if (selected != null) {
                model.operations.stream()
                    .filter(op -> op.getId().equals(selected.getId()))
                    .findFirst()
                    .ifPresent(view::selectOperation);
              }
              model.audit.setAll(loaded.audit().getEntriesList());
              model.selfHealing.set(loaded.selfHealing());
              model.nodeNames.setAll(
                  loaded.nodes().getNodesList().stream().map(NodeInfo::getName).toList());
            })
        .thenApply(r -> null);
  }

  private void planScaleOut() {
    plan(
        "scale-out",
        PlanOperationRequest.newBuilder()
            .setScaleOut(
                ScaleOut.newBuilder()
                    .setAddNodes(model.addNodes.get())
                    .setStepSize(model.stepSize.get())
                    .setMode(model.mode.get())));
  }

  private void planRepair() {
    long target;
    try {
      target = Long.parseLong(model.repairTarget.get().trim());
    } catch (NumberFormatException e) {
      model.message.set("Repair needs the id of the OFFLINE target to replace");
      return;
    }
    plan(
        "repair",
        PlanOperationRequest.newBuilder().setRepair(Repair.newBuilder().setTargetId(target)));
  }

  private void planDrain() {
    String node = model.drainNode.get();
    if (node == null || node.isBlank()) {
      model.message.set("Choose the node to drain");
      return;
    }
    plan(
        "drain",
        PlanOperationRequest.newBuilder()
            .setDrain(Drain.newBuilder().setNode(node).setDecommission(model.decommission.get())));
  }

  private void plan(String what, PlanOperationRequest.Builder request) {
    PlanOperationRequest built =
        request.setAutoApprove(false).setRequestedBy(context.user()).build();
    model.message.set("Planning " + what + " …");
    context
        .background()
        .run(
            "plan " + what,
            () -> context.api().operations().planOperation(built),
            op -> {
              model.message.set("");
              track(op);
              refresh();
            })
        .exceptionally(e -> fail("plan " + what, e));
  }

  private void approve(OperationInfo op) {
    if (op == null) {
      return;
    }
    context
        .background()
        .run(
            "approve " + op.getId(),
            () ->
                context
                    .api()
                    .operations()
                    .approveOperation(
                        OperationRef.newBuilder().setId(op.getId()).setBy(context.user()).build()),
            after -> {
              update(after);
              if (model.tracked.get() == null
                  || after.getId().equals(model.tracked.get().getId())) {
                track(after);
              }
              refresh();
            })
        .exceptionally(e -> fail("approve", e));
  }

  private void cancel(OperationInfo op) {
    if (op == null) {
      return;
    }
    if (op.getState().equals("PLANNED")
        && model.tracked.get() != null
        && model.tracked.get().getId().equals(op.getId())) {
      // Declining a plan is cancelling it on the control plane, so the audit log says so.
      model.message.set("Plan " + op.getId() + " declined");
    }
    context
        .background()
        .run(
            "cancel " + op.getId(),
            () ->
                context
                    .api()
                    .operations()
                    .cancelOperation(
                        OperationRef.newBuilder().setId(op.getId()).setBy(context.user()).build()),
            after -> {
              update(after);
              refresh();
            })
        .exceptionally(e -> fail("cancel", e));
  }

  private void setSelfHealing(boolean paused) {
    context
        .background()
        .run(
            paused ? "pause self-healing" : "resume self-healing",
            () ->
                context
                    .api()
                    .operations()
                    .setSelfHealing(
                        SetSelfHealingRequest.newBuilder()
                            .setPaused(paused)
                            .setBy(context.user())
                            .build()),
            state -> {
              model.selfHealing.set(state);
              refresh();
            })
        .exceptionally(
            e -> {
              // The toggle must show the real state, not the click.
              view.selfHealing.setSelected(
                  model.selfHealing.get() != null && model.selfHealing.get().getPaused());
              return fail("self-healing", e);
            });
  }

  private void poll() {
    OperationInfo op = model.tracked.get();
    if (op == null
        || WizardStep.terminal(op.getState())
        || op.getState().equals("PLANNED")
        || polling) {
      return;
    }
    polling = true;
    context
        .background()
        .run(
            "follow " + op.getId(),
            () ->
                context
                    .api()
                    .operations()
                    .getOperation(OperationRef.newBuilder().setId(op.getId()).build()),
            this::update)
        .whenComplete((r, e) -> polling = false);
  }

  /** A newer view of an operation: the tracked one and the table's row follow it. */
  private void update(OperationInfo op) {
    OperationInfo tracked = model.tracked.get();
    if (tracked != null
        && tracked.getId().equals(op.getId())
        && op.getUpdatedAtMs() >= tracked.getUpdatedAtMs()) {
      boolean ended =
          !WizardStep.terminal(tracked.getState()) && WizardStep.terminal(op.getState());
      model.tracked.set(op);
      if (ended) {
        refresh();
      }
    }
    for (int i = 0; i < model.operations.size(); i++) {
      if (model.operations.get(i).getId().equals(op.getId())) {
        model.operations.set(i, op);
      }
    }
  }

  private void reset() {
    model.tracked.set(null);
    model.message.set("");
  }

  private <T> T fail(String what, Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
    model.message.set(what + " failed: " + Formats.error(cause));
    return null;
  }
}
