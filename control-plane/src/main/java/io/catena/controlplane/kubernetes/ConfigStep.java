package io.catena.controlplane.kubernetes;

import io.catena.controlplane.spec.ClusterManifest;
import io.catena.controlplane.spec.SpecFiles;

/** The cluster ConfigMap: the spec every daemon reads, and one settings file per storage pod. */
final class ConfigStep implements ReconcileStep {
  @Override
  public String name() {
    return "config";
  }

  @Override
  public StepOutcome run(StepContext context) {
    String yaml =
        SpecFiles.toYaml(
            new ClusterManifest(
                ClusterManifest.API_VERSION,
                ClusterManifest.KIND,
                new ClusterManifest.ClusterMetadata(context.names().cluster(), null),
                context.spec()));
    var result =
        Apply.ensure(
            context.client(), DaemonResources.configMap(context.cluster(), context.spec(), yaml));
    if (result != Apply.Result.UNCHANGED) {
      context
          .events()
          .normal(
              "ConfigMap" + (result == Apply.Result.CREATED ? "Created" : "Updated"),
              context.names().configMap());
    }
    return StepOutcome.done("ConfigMap " + context.names().configMap());
  }
}
