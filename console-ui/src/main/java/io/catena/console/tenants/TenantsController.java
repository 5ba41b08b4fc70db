package io.catena.console.tenants;

import io.catena.console.ConsoleContext;
import io.catena.console.Formats;
import io.catena.console.ViewController;
import io.catena.protocol.controlplane.CreateTenantRequest;
import io.catena.protocol.controlplane.ListRequest;
import io.catena.protocol.controlplane.SetTenantQuotaRequest;
import io.catena.protocol.controlplane.TenantInfo;
import io.catena.protocol.controlplane.TenantRef;
import io.catena.protocol.controlplane.TenantTokenReply;
import java.util.concurrent.CompletableFuture;
import javafx.scene.Node;

/**
 * Tenant lifecycle: create (token shown once), quotas, token rotation, delete with confirmation.
 */
public final class TenantsController implements ViewController {

  private final ConsoleContext context;
  private final TenantsModel model = new TenantsModel();
  private final TenantsView view;

  public TenantsController(ConsoleContext context) {
    this.context = context;
    view = new TenantsView(model);
    view.create.setOnAction(e -> create());
    view.setQuota.setOnAction(e -> setQuota());
    view.rotate.setOnAction(e -> rotate());
    view.delete.setOnAction(e -> model.confirmingDelete.set(true));
    view.deleteCancel.setOnAction(e -> model.confirmingDelete.set(false));
    view.deleteConfirm.setOnAction(e -> delete());
    view.tokenDismiss.setOnAction(e -> forgetToken());
    model.selected.addListener(
        (o, was, now) -> {
          model.confirmingDelete.set(false);
          if (now != null) {
            model.name.set(now.getName());
            model.quotaGib.set(
                now.getQuotaBytes() == 0
                    ? ""
                    : String.valueOf(now.getQuotaBytes() / (double) (1L << 30)));
            model.quotaFiles.set(
                now.getQuotaFiles() == 0 ? "" : String.valueOf(now.getQuotaFiles()));
          }
        });
  }

  @Override
  public Node view() {
    return view.root;
  }

  @Override
  public void deactivate() {
    forgetToken();
  }

  @Override
  public CompletableFuture<Void> refresh() {
    return context
        .background()
        .run(
            "list tenants",
            () -> context.api().controlPlane().listTenants(ListRequest.getDefaultInstance()),
            reply -> {
              String selected =
                  model.selected.get() == null ? null : model.selected.get().getName();
              model.tenants.setAll(reply.getTenantsList());
              if (selected != null) {
                model.tenants.stream()
                    .filter(t -> t.getName().equals(selected))
                    .findFirst()
                    .ifPresent(view::select);
              }
            })
        .thenApply(r -> null);
  }

  private void create() {
    CreateTenantRequest request;
    try {
      request =
          CreateTenantRequest.newBuilder()
              .setName(Quotas.name(model.name.get()))
              .setQuotaBytes(Quotas.gibToBytes(model.quotaGib.get()))
              .setQuotaFiles(Quotas.files(model.quotaFiles.get()))
              .build();
    } catch (IllegalArgumentException e) {
      say(e.getMessage(), true);
      return;
    }
    context
        .background()
        .run(
            "create tenant " + request.getName(),
            () -> context.api().controlPlane().createTenant(request),
            reply -> {
              showToken(reply);
              say("Created tenant " + reply.getTenant().getName(), false);
              refresh();
            })
        .exceptionally(e -> fail("create tenant", e));
  }

  private void setQuota() {
    TenantInfo tenant = model.selected.get();
    if (tenant == null) {
      return;
    }
    SetTenantQuotaRequest request;
    try {
      request =
          SetTenantQuotaRequest.newBuilder()
              .setName(tenant.getName())
              .setQuotaBytes(Quotas.gibToBytes(model.quotaGib.get()))
              .setQuotaFiles(Quotas.files(model.quotaFiles.get()))
              .build();
    } catch (IllegalArgumentException e) {
      say(e.getMessage(), true);
      return;
    }
    context
        .background()
        .run(
            "set quota of " + tenant.getName(),
            () -> context.api().controlPlane().setTenantQuota(request),
            t -> {
              say(
                  "Quota of "
                      + t.getName()
                      + ": "
                      + (t.getQuotaBytes() == 0 ? "unlimited" : Formats.bytes(t.getQuotaBytes())),
                  false);
              refresh();
            })
        .exceptionally(e -> fail("set quota", e));
  }

  private void rotate() {
    TenantInfo tenant = model.selected.get();
    if (tenant == null) {
      return;
    }
    context
        .background()
        .run(
            "rotate token of " + tenant.getName(),
            () ->
                context
                    .api()
                    .controlPlane()
                    .rotateTenantToken(TenantRef.newBuilder().setName(tenant.getName()).build()),
            reply -> {
              showToken(reply);
              say("New token for " + tenant.getName() + "; the old one no longer works", false);
            })
        .exceptionally(e -> fail("rotate token", e));
  }

  private void delete() {
    TenantInfo tenant = model.selected.get();
    model.confirmingDelete.set(false);
    if (tenant == null) {
      return;
    }
    context
        .background()
        .run(
            "delete tenant " + tenant.getName(),
            () ->
                context
                    .api()
                    .controlPlane()
                    .deleteTenant(TenantRef.newBuilder().setName(tenant.getName()).build()),
            t -> {
              say("Deleted tenant " + t.getName(), false);
              refresh();
            })
        .exceptionally(e -> fail("delete tenant", e));
  }

  private void showToken(TenantTokenReply reply) {
    model.tokenFor.set(reply.getTenant().getName());
    model.token.set(reply.getToken());
  }

  private void forgetToken() {
    model.token.set("");
    model.tokenFor.set("");
  }

  private void say(String message, boolean error) {
    model.message.set(message);
    model.messageIsError.set(error);
  }

  private <T> T fail(String what, Throwable e) {
    say(
        what
            + " failed: "
            + Formats.error(
                e instanceof java.util.concurrent.CompletionException ? e.getCause() : e),
        true);
    return null;
  }
}
