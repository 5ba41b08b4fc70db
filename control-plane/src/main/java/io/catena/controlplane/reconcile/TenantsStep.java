package io.catena.controlplane.reconcile;

import io.catena.controlplane.spec.ByteSize;
import io.catena.controlplane.spec.ClusterSpec.TenantSpec;
import io.catena.controlplane.tenant.TenantAdmin.IssuedToken;
import io.catena.controlplane.tenant.TenantAdmin.TenantRecord;
import io.catena.controlplane.tenant.TenantTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The spec's tenants exist in meta, on the cluster's chain table, each with a token for its root
 * user kept in the control plane's state (so that {@code catena up} can show it). Tenants are never
 * deleted here, nor quotas of existing tenants changed: that is an explicit operation.
 */
public final class TenantsStep implements ReconcileStep {

  @Override
  public String name() {
    return "tenants";
  }

  @Override
  public StepResult run(ReconcileContext c) {
    List<TenantSpec> wanted = c.layout().spec().tenants();
    if (wanted.isEmpty()) {
      return StepResult.done("no tenants in the spec");
    }
    Set<String> existing =
        c.tenants().list().stream().map(TenantRecord::name).collect(Collectors.toSet());
    List<String> created = new ArrayList<>();
    for (TenantSpec t : wanted) {
      if (existing.contains(t.name())) {
        continue;
      }
      long bytes =
          t.quota() == null || t.quota().bytes() == null ? 0 : ByteSize.parse(t.quota().bytes());
      long files = t.quota() == null || t.quota().files() == null ? 0 : t.quota().files();
      TenantRecord record =
          c.tenants().create(t.name(), bytes, files, List.of(ClusterLayout.CHAIN_TABLE));
      IssuedToken token = c.tenants().issueToken(record.id());
      c.tokens().remember(t.name(), TenantTokens.IssueKind.KEEP_SECRET, token);
      created.add(t.name());
    }
    if (created.isEmpty()) {
      return StepResult.done(wanted.size() + " tenant(s) exist");
    }
    return StepResult.done("created tenant(s) " + String.join(", ", created));
  }
}
