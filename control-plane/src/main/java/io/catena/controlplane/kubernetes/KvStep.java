package io.catena.controlplane.kubernetes;

import io.catena.controlplane.spec.ClusterSpec.KvSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.Map;

/**
 * The KV engine of mgmtd and meta. With engine fdb the FDB operator runs FoundationDB: this step
 * owns a FoundationDBCluster and waits until it reports itself available; with rocksdb the engine
 * is embedded in the daemons' volumes and there is nothing to do.
 */
final class KvStep implements ReconcileStep {
  static final String FDB_API_VERSION = "apps.foundationdb.org/v1beta2";
  static final String FDB_KIND = "FoundationDBCluster";
  static final String FDB_VERSION = "7.3.68";

  @Override
  public String name() {
    return "kv";
  }

  @Override
  public StepOutcome run(StepContext context) {
    if (!KvSpec.FDB.equals(context.spec().kvOrDefault().engine())) {
      return StepOutcome.done("embedded rocksdb in the mgmtd and meta volumes");
    }
    ClusterNames names = context.names();
    GenericKubernetesResource fdb =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(FDB_API_VERSION)
            .withKind(FDB_KIND)
            .withNewMetadata()
            .withName(names.fdbCluster())
            .withNamespace(names.namespace())
            .withLabels(names.labels())
            .withOwnerReferences(DaemonResources.owner(context.cluster()))
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec",
                    Map.of(
                        "version",
                        FDB_VERSION,
                        "databaseConfiguration",
                        Map.of("redundancy_mode", "double", "storage_engine", "ssd-redwood-1"))))
            .build();
    Apply.Result result = Apply.ensure(context.client(), fdb);
    if (result == Apply.Result.CREATED) {
      context.events().normal("FoundationDBClusterCreated", names.fdbCluster());
    }
    GenericKubernetesResource current = context.client().resource(fdb).get();
    Object status = current == null ? null : current.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> s
        && s.get("health") instanceof Map<?, ?> health
        && Boolean.TRUE.equals(health.get("available"))) {
      return StepOutcome.done("FoundationDBCluster " + names.fdbCluster() + " is available");
    }
    return StepOutcome.waiting(
        "FoundationDBNotAvailable",
        "waiting for FoundationDBCluster " + names.fdbCluster() + " to report health.available");
  }
}
