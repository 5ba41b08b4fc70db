package io.catena.controlplane.kubernetes;

import io.catena.controlplane.spec.ClusterSpec.TenantSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * One Secret per tenant holding its token (key {@code token}); the gateway sidecar reads it. A
 * token is generated once and never rewritten by a later pass.
 */
final class TenantsStep implements ReconcileStep {
  static final String TOKEN_KEY = "token";
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public String name() {
    return "tenants";
  }

  @Override
  public StepOutcome run(StepContext context) {
    ClusterNames names = context.names();
    int created = 0;
    for (TenantSpec tenant : context.spec().tenants()) {
      String name = names.tenantSecret(tenant.name());
      Secret current =
          context.client().secrets().inNamespace(names.namespace()).withName(name).get();
      if (current != null) {
        continue;
      }
      byte[] token = new byte[32];
      RANDOM.nextBytes(token);
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(names.namespace())
              .withLabels(names.labels())
              .addToLabels(ClusterNames.TENANT_LABEL, tenant.name())
              .withOwnerReferences(DaemonResources.owner(context.cluster()))
              .endMetadata()
              .withType("Opaque")
              .addToStringData(TOKEN_KEY, HexFormat.of().formatHex(token))
              .addToStringData("tenant", tenant.name())
              .build();
      context.client().resource(secret).create();
      context.events().normal("TenantTokenCreated", "Secret " + name);
      created++;
    }
    return StepOutcome.done(
        context.spec().tenants().size()
            + " tenants"
            + (created > 0 ? ", " + created + " new" : ""));
  }
}
