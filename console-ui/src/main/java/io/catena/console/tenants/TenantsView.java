package io.catena.console.tenants;

import io.catena.console.Cards;
import io.catena.console.Formats;
import io.catena.console.Tables;
import io.catena.protocol.controlplane.TenantInfo;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Tenant table with usage bars; the form; the one-time token box; delete confirmation. */
final class TenantsView {

  final HBox root = new HBox(12);
  final Button create = new Button("Create tenant");
  final Button setQuota = new Button("Set quota");
  final Button rotate = new Button("Rotate token");
  final Button delete = new Button("Delete…");
  final Button deleteConfirm = new Button("Delete");
  final Button deleteCancel = new Button("Keep");
  final Button tokenDismiss = new Button("I have copied it");
  private final TableView<TenantInfo> table = new TableView<>();

  TenantsView(TenantsModel model) {
    root.setId("view-tenants");
    table.setItems(model.tenants);
    table.setId("tenants-table");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.getColumns().add(Tables.column("Tenant", 140, TenantInfo::getName));
    table.getColumns().add(Tables.column("Used", 90, t -> Formats.bytes(t.getUsedBytes())));
    table
        .getColumns()
        .add(
            Tables.column(
                "Quota",
                90,
                t -> t.getQuotaBytes() == 0 ? "unlimited" : Formats.bytes(t.getQuotaBytes())));
    TableColumn<TenantInfo, TenantInfo> usage = Tables.column("Usage", 160, t -> t);
    usage.setCellFactory(
        c ->
            new TableCell<>() {
              @Override
              protected void updateItem(TenantInfo t, boolean empty) {
                super.updateItem(t, empty);
                if (empty || t == null || t.getQuotaBytes() == 0) {
                  setGraphic(null);
                  setText(empty || t == null ? null : "—");
                  return;
                }
                double f = (double) t.getUsedBytes() / t.getQuotaBytes();
                ProgressBar bar = new ProgressBar(f);
                bar.setMaxWidth(Double.MAX_VALUE);
                if (f > 0.9) {
                  bar.getStyleClass().add("bar-bad");
                } else if (f > 0.75) {
                  bar.getStyleClass().add("bar-warn");
                }
                setText(null);
                setGraphic(bar);
              }
            });
    table.getColumns().add(usage);
    table
        .getColumns()
        .add(
            Tables.column(
                "Files",
                150,
                t ->
                    String.format(java.util.Locale.ROOT, "%,d", t.getFiles())
                        + (t.getQuotaFiles() == 0
                            ? ""
                            : String.format(java.util.Locale.ROOT, " / %,d", t.getQuotaFiles()))));
    table
        .getColumns()
        .add(
            Tables.column(
                "Chain tables",
                100,
                t -> t.getChainTablesList().toString().replaceAll("[\\[\\]]", "")));
    table.setPlaceholder(new Label("No tenants yet"));
    model.selected.bind(table.getSelectionModel().selectedItemProperty());
    VBox.setVgrow(table, Priority.ALWAYS);
    VBox list = Cards.card("Tenants", table);
    HBox.setHgrow(list, Priority.ALWAYS);

    TextField name = new TextField();
    name.setId("tenant-name");
    name.setPromptText("e.g. team-llama");
    name.textProperty().bindBidirectional(model.name);
    TextField gib = new TextField();
    gib.setId("tenant-quota-gib");
    gib.setPromptText("empty: unlimited");
    gib.textProperty().bindBidirectional(model.quotaGib);
    TextField files = new TextField();
    files.setId("tenant-quota-files");
    files.setPromptText("empty: unlimited");
    files.textProperty().bindBidirectional(model.quotaFiles);
    GridPane form = new GridPane();
    form.setHgap(8);
    form.setVgap(8);
    form.addRow(0, new Label("Name"), name);
    form.addRow(1, new Label("Quota (GiB)"), gib);
    form.addRow(2, new Label("Quota (files)"), files);
    create.setId("tenant-create");
    create.getStyleClass().add("accent");
    setQuota.setId("tenant-set-quota");
    rotate.setId("tenant-rotate");
    delete.setId("tenant-delete");
    delete.getStyleClass().add("danger");
    for (Button b : new Button[] {setQuota, rotate, delete}) {
      b.disableProperty().bind(model.selected.isNull());
    }
    HBox buttons = new HBox(8, create, setQuota);
    HBox selectedButtons = new HBox(8, rotate, delete);

    Label confirmText = new Label();
    confirmText.setWrapText(true);
    confirmText
        .textProperty()
        .bind(
            Bindings.createStringBinding(
                () ->
                    model.selected.get() == null
                        ? ""
                        : "Delete tenant " + model.selected.get().getName() + " and its data?",
                model.selected));
    deleteConfirm.setId("tenant-delete-confirm");
    deleteConfirm.getStyleClass().add("danger");
    deleteCancel.setId("tenant-delete-cancel");
    VBox confirm = new VBox(6, confirmText, new HBox(8, deleteConfirm, deleteCancel));
    confirm.getStyleClass().add("confirm-box");
    confirm.visibleProperty().bind(model.confirmingDelete);
    confirm.managedProperty().bind(confirm.visibleProperty());

    Label tokenTitle = new Label();
    tokenTitle.setWrapText(true);
    tokenTitle
        .textProperty()
        .bind(Bindings.concat("Token for ", model.tokenFor, ". It is shown once: copy it now."));
    TextField token = new TextField();
    token.setId("tenant-token");
    token.setEditable(false);
    token.textProperty().bind(model.token);
    Button copy = new Button("Copy");
    copy.setId("tenant-token-copy");
    copy.setOnAction(
        e -> {
          ClipboardContent content = new ClipboardContent();
          content.putString(model.token.get());
          javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
    tokenDismiss.setId("tenant-token-dismiss");
    HBox.setHgrow(token, Priority.ALWAYS);
    VBox tokenBox = new VBox(6, tokenTitle, new HBox(6, token, copy), tokenDismiss);
    tokenBox.setId("tenant-token-box");
    tokenBox.getStyleClass().add("token-box");
    tokenBox.visibleProperty().bind(model.token.isNotEmpty());
    tokenBox.managedProperty().bind(tokenBox.visibleProperty());

    Label message = new Label();
    message.setId("tenants-message");
    message.setWrapText(true);
    message.textProperty().bind(model.message);
    model.messageIsError.addListener(
        (o, was, now) -> {
          message.getStyleClass().removeAll("error-text", "muted");
          message.getStyleClass().add(now ? "error-text" : "muted");
        });
    message.getStyleClass().add("muted");

    VBox side =
        Cards.card(
            "Create or change",
            form,
            buttons,
            new Label("Selected tenant"),
            selectedButtons,
            confirm,
            tokenBox,
            message);
    side.setPrefWidth(360);
    side.setMinWidth(320);
    side.setAlignment(Pos.TOP_LEFT);
    root.getChildren().addAll(list, side);
  }

  void select(TenantInfo tenant) {
    table.getSelectionModel().select(tenant);
  }
}
