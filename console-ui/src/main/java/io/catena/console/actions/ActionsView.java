package io.catena.console.actions;

import io.catena.console.Cards;
import io.catena.console.Formats;
import io.catena.console.Tables;
import io.catena.protocol.controlplane.AuditEntry;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.OperationInfo;
import io.catena.protocol.controlplane.PlanStepInfo;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The operation wizard and other actions on the left; operations, events and audit on the right.
 */
final class ActionsView {

  final HBox root = new HBox(12);
  final Button plan = new Button("Plan scale-out");
  final Button approve = new Button("Approve");
  final Button cancel = new Button("Decline");
  final Button back = new Button("Back");
  final Button cancelRunning = new Button("Cancel operation");
  final Button done = new Button("Done");
  final Button openTopology = new Button("Open topology");
  final Button planRepair = new Button("Plan repair");
  final Button planDrain = new Button("Plan drain");
  final Button planRestart = new Button("Plan rolling restart");
  final ToggleButton selfHealing = new ToggleButton("Pause self-healing");
  final Button approveSelected = new Button("Approve");
  final Button cancelSelected = new Button("Cancel");
  final Button followSelected = new Button("Follow");
  private final TableView<OperationInfo> operations = new TableView<>();

  ActionsView(ActionsModel model) {
    root.setId("view-actions");
    VBox left = new VBox(12, wizard(model), otherActions(model));
    left.setPrefWidth(460);
    left.setMinWidth(400);
    ScrollPane leftScroll = new ScrollPane(left);
    leftScroll.setFitToWidth(true);
    leftScroll.setMinWidth(420);
    leftScroll.getStyleClass().add("plain-scroll");

    TabPane tabs = new TabPane();
    tabs.setId("actions-tabs");
    tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
    tabs.getTabs().addAll(operationsTab(model), eventsTab(model), auditTab(model));
    HBox.setHgrow(tabs, Priority.ALWAYS);
    VBox right = Cards.card("Operations, events and audit", tabs);
    VBox.setVgrow(tabs, Priority.ALWAYS);
    HBox.setHgrow(right, Priority.ALWAYS);
    root.getChildren().addAll(leftScroll, right);
  }

  private Node wizard(ActionsModel model) {
    // Step indicator
    HBox steps = new HBox(6);
    steps.setId("wizard-steps");
    String[] names = {"1 Plan", "2 Approve", "3 Progress", "4 Result"};
    for (WizardStep s : WizardStep.values()) {
      Label l = new Label(names[s.ordinal()]);
      l.getStyleClass().add("wizard-step");
      model.step.addListener(
          (o, was, now) -> {
            l.getStyleClass().remove("wizard-step-current");
            if (now == s) {
              l.getStyleClass().add("wizard-step-current");
            }
          });
      if (model.step.get() == s) {
        l.getStyleClass().add("wizard-step-current");
      }
      steps.getChildren().add(l);
    }

    // 1: configure
    Spinner<Integer> nodes = new Spinner<>(1, 64, model.addNodes.get());
    nodes.setId("scaleout-nodes");
    nodes.setEditable(true);
    nodes.valueProperty().addListener((o, a, b) -> model.addNodes.set(b));
    Spinner<Integer> stepSize = new Spinner<>(0, 64, model.stepSize.get());
    stepSize.setId("scaleout-step");
    stepSize.valueProperty().addListener((o, a, b) -> model.stepSize.set(b));
    ChoiceBox<String> mode = new ChoiceBox<>();
    mode.getItems().addAll("auto", "migrate", "new-chains");
    mode.setId("scaleout-mode");
    mode.valueProperty().bindBidirectional(model.mode);
    GridPane form = new GridPane();
    form.setHgap(8);
    form.setVgap(8);
    form.addRow(0, new Label("Nodes to add"), nodes);
    form.addRow(1, new Label("Nodes per step (0: all)"), stepSize);
    form.addRow(2, new Label("Mode"), mode);
    plan.setId("scaleout-plan");
    plan.getStyleClass().add("accent");
    Label hint =
        new Label("The plan shows the steps and bytes to move; nothing changes until you approve.");
    hint.setWrapText(true);
    hint.getStyleClass().add("muted");
    VBox configure = new VBox(10, form, hint, plan);

    // 2: preview
    Label summary = new Label();
    summary.setId("plan-summary");
    summary.setWrapText(true);
    summary.getStyleClass().add("strong");
    Label planFacts = new Label();
    planFacts.setId("plan-facts");
    planFacts.setWrapText(true);
    Label refused = new Label();
    refused.setId("plan-refused");
    refused.setWrapText(true);
    refused.getStyleClass().add("error-text");
    TableView<PlanStepInfo> planSteps = new TableView<>();
    planSteps.setId("plan-steps");
    planSteps.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    planSteps.getColumns().add(Tables.column("#", 36, s -> s.getIndex() + 1));
    planSteps.getColumns().add(Tables.column("Step", 260, PlanStepInfo::getDescription));
    planSteps.getColumns().add(Tables.column("Moves", 80, s -> Formats.bytes(s.getBytes())));
    planSteps.getColumns().add(Tables.badgeColumn("State", 90, PlanStepInfo::getState));
    planSteps.setPrefHeight(200);
    approve.setId("plan-approve");
    approve.getStyleClass().add("accent");
    cancel.setId("plan-decline");
    back.setId("plan-back");
    VBox preview =
        new VBox(10, summary, planFacts, refused, planSteps, new HBox(8, approve, cancel, back));

    // 3: progress
    Label running = new Label();
    running.setWrapText(true);
    running.getStyleClass().add("strong");
    ProgressBar progress = new ProgressBar(0);
    progress.setId("operation-progress");
    progress.setMaxWidth(Double.MAX_VALUE);
    Label eta = new Label();
    eta.setId("operation-eta");
    ListView<PlanStepInfo> runningSteps = new ListView<>();
    runningSteps.setId("operation-steps");
    runningSteps.setPrefHeight(180);
    runningSteps.setCellFactory(
        v ->
            new ListCell<>() {
              @Override
              protected void updateItem(PlanStepInfo s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : (s.getIndex() + 1) + ". " + s.getDescription());
                setGraphic(
                    empty || s == null
                        ? null
                        : Cards.badge(s.getState(), Cards.tone(s.getState())));
              }
            });
    cancelRunning.setId("operation-cancel");
    cancelRunning.getStyleClass().add("danger");
    VBox progressPane = new VBox(10, running, progress, eta, runningSteps, cancelRunning);

    // 4: result
    Label result = new Label();
    result.setId("operation-result");
    result.setWrapText(true);
    result.getStyleClass().add("big-number");
    Label resultDetail = new Label();
    resultDetail.setId("operation-result-detail");
    resultDetail.setWrapText(true);
    done.setId("operation-done");
    openTopology.setId("operation-open-topology");
    VBox resultPane = new VBox(10, result, resultDetail, new HBox(8, done, openTopology));

    StackPane pages = new StackPane(configure, preview, progressPane, resultPane);
    Node[] byStep = {configure, preview, progressPane, resultPane};
    for (WizardStep s : WizardStep.values()) {
      byStep[s.ordinal()].visibleProperty().bind(model.step.isEqualTo(s));
    }

    model.tracked.addListener(
        (o, was, op) -> {
          if (op == null) {
            return;
          }
          String title = op.getKind() + " " + op.getId() + ": " + op.getSummary();
          summary.setText(title);
          running.setText(title);
          planFacts.setText(
              op.getStepsCount()
                  + " steps · moves "
                  + Formats.bytes(op.getBytesToMove())
                  + " · estimated "
                  + Formats.duration(op.getEtaMs())
                  + " · requested by "
                  + op.getRequestedBy());
          boolean isRefused = op.getState().equals("REFUSED");
          refused.setText(isRefused ? "Refused: " + op.getMessage() : "");
          approve.setDisable(isRefused);
          cancel.setDisable(isRefused);
          planSteps.getItems().setAll(op.getStepsList());
          runningSteps.getItems().setAll(op.getStepsList());
          progress.setProgress(op.getProgress());
          eta.setText(
              Formats.percent(op.getProgress())
                  + " · "
                  + Formats.bytes(op.getBytesMoved())
                  + " of "
                  + Formats.bytes(op.getBytesToMove())
                  + " moved · ETA "
                  + Formats.duration(op.getEtaMs()));
          result.setText(
              op.getState().charAt(0) + op.getState().substring(1).toLowerCase(Locale.ROOT));
          result.getStyleClass().removeAll("tone-ok", "tone-bad");
          result.getStyleClass().add(op.getState().equals("SUCCEEDED") ? "tone-ok" : "tone-bad");
          resultDetail.setText(
              title
                  + (op.getMessage().isEmpty() ? "" : "\n" + op.getMessage())
                  + "\nmoved "
                  + Formats.bytes(op.getBytesMoved()));
        });

    VBox card = Cards.card("Scale out (plan → approve → progress → result)", steps, pages);
    card.setId("wizard");
    return card;
  }

  private Node otherActions(ActionsModel model) {
    TextField target = new TextField();
    target.setId("repair-target");
    target.setPromptText("OFFLINE target id");
    target.textProperty().bindBidirectional(model.repairTarget);
    planRepair.setId("repair-plan");

    ComboBox<String> node = new ComboBox<>(model.nodeNames);
    node.setId("drain-node");
    node.setPromptText("node");
    node.valueProperty().bindBidirectional(model.drainNode);
    CheckBox decommission = new CheckBox("then decommission");
    decommission.setId("drain-decommission");
    decommission.selectedProperty().bindBidirectional(model.decommission);
    planDrain.setId("drain-plan");

    planRestart.setId("restart-plan");

    selfHealing.setId("self-healing-pause");
    Label healing = new Label();
    healing.setId("self-healing-state");
    healing.setWrapText(true);
    healing.getStyleClass().add("muted");
    model.selfHealing.addListener(
        (o, was, s) -> {
          if (s == null) {
            return;
          }
          selfHealing.setSelected(s.getPaused());
          selfHealing.setText(s.getPaused() ? "Resume self-healing" : "Pause self-healing");
          healing.setText(
              (s.getPaused() ? "Paused" : "Active")
                  + " · replaces a target offline for "
                  + Formats.duration(s.getOfflineTimeoutMs())
                  + " · at most "
                  + s.getMaxConcurrentRepairs()
                  + " at once, "
                  + s.getRepairsPerHour()
                  + "/h"
                  + (s.getActiveRepairsCount() == 0
                      ? ""
                      : " · repairing " + String.join(", ", s.getActiveRepairsList())));
        });

    GridPane grid = new GridPane();
    grid.setHgap(8);
    grid.setVgap(10);
    grid.addRow(0, new Label("Repair"), target, planRepair);
    grid.addRow(1, new Label("Drain"), node, planDrain);
    grid.add(decommission, 1, 2);
    grid.addRow(3, new Label("Restart"), planRestart);
    grid.addRow(4, new Label("Self-healing"), selfHealing);
    grid.add(healing, 1, 5, 2, 1);
    Label message = new Label();
    message.setId("actions-message");
    message.setWrapText(true);
    message.getStyleClass().add("error-text");
    message.textProperty().bind(model.message);
    return Cards.card("Other actions", grid, message);
  }

  private Tab operationsTab(ActionsModel model) {
    operations.setItems(model.operations);
    operations.setId("operations-table");
    operations.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    operations.getColumns().add(Tables.column("Id", 70, OperationInfo::getId));
    operations.getColumns().add(Tables.column("Kind", 100, OperationInfo::getKind));
    operations.getColumns().add(Tables.badgeColumn("State", 100, OperationInfo::getState));
    operations
        .getColumns()
        .add(Tables.column("Progress", 70, o -> Formats.percent(o.getProgress())));
    operations.getColumns().add(Tables.column("By", 90, OperationInfo::getRequestedBy));
    operations
        .getColumns()
        .add(Tables.column("Created", 80, o -> Formats.time(o.getCreatedAtMs())));
    operations.getColumns().add(Tables.column("Summary", 260, OperationInfo::getSummary));
    operations.setPlaceholder(new Label("No operations yet"));
    model.selectedOperation.bind(operations.getSelectionModel().selectedItemProperty());
    approveSelected.setId("operations-approve");
    cancelSelected.setId("operations-cancel");
    followSelected.setId("operations-follow");
    approveSelected
        .disableProperty()
        .bind(
            Bindings.createBooleanBinding(
                () ->
                    model.selectedOperation.get() == null
                        || !model.selectedOperation.get().getState().equals("PLANNED"),
                model.selectedOperation));
    cancelSelected
        .disableProperty()
        .bind(
            Bindings.createBooleanBinding(
                () ->
                    model.selectedOperation.get() == null
                        || WizardStep.terminal(model.selectedOperation.get().getState()),
                model.selectedOperation));
    followSelected.disableProperty().bind(model.selectedOperation.isNull());
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox bar = new HBox(8, grow, followSelected, approveSelected, cancelSelected);
    bar.setAlignment(Pos.CENTER_RIGHT);
    VBox.setVgrow(operations, Priority.ALWAYS);
    return new Tab("Operations", new VBox(8, operations, bar));
  }

  private Tab eventsTab(ActionsModel model) {
    ListView<Event> events = new ListView<>(model.events);
    events.setId("events-list");
    events.setPlaceholder(new Label("No events yet"));
    events.setCellFactory(
        v ->
            new ListCell<>() {
              @Override
              protected void updateItem(Event e, boolean empty) {
                super.updateItem(e, empty);
                if (empty || e == null) {
                  setText(null);
                  setGraphic(null);
                  return;
                }
                setText(
                    Formats.time(e.getAtMs())
                        + "  "
                        + e.getKind().name().toLowerCase(Locale.ROOT)
                        + "  "
                        + e.getMessage());
                setGraphic(Cards.badge(e.getSeverity(), Cards.tone(e.getSeverity())));
              }
            });
    return new Tab("Events", events);
  }

  private Tab auditTab(ActionsModel model) {
    TableView<AuditEntry> audit = new TableView<>(model.audit);
    audit.setId("audit-table");
    audit.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    audit.getColumns().add(Tables.column("Time", 80, a -> Formats.time(a.getAtMs())));
    audit.getColumns().add(Tables.column("Who", 100, AuditEntry::getWho));
    audit.getColumns().add(Tables.column("Action", 120, AuditEntry::getAction));
    audit.getColumns().add(Tables.column("Target", 110, AuditEntry::getTarget));
    audit.getColumns().add(Tables.badgeColumn("Outcome", 100, AuditEntry::getOutcome));
    audit.getColumns().add(Tables.column("Detail", 220, AuditEntry::getDetail));
    audit.setPlaceholder(new Label("Nothing audited yet"));
    return new Tab("Audit", audit);
  }

  void selectOperation(OperationInfo op) {
    operations.getSelectionModel().select(op);
  }
}
