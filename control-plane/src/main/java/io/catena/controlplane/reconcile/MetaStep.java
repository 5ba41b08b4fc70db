package io.catena.controlplane.reconcile;

import java.nio.file.Files;
import java.util.List;

/** meta runs on its nodes and has written its bootstrap admin token. */
public final class MetaStep implements ReconcileStep {

  @Override
  public String name() {
    return "meta";
  }

  @Override
  public StepResult run(ReconcileContext c) {
    List<String> notHealthy = DaemonsRunning.ensure(c, c.layout().metaNodes(), c.layout()::meta);
    if (!notHealthy.isEmpty()) {
      return StepResult.progressing("meta starting on " + String.join(", ", notHealthy));
    }
    if (!Files.exists(c.layout().metaAdminTokenFile())) {
      return StepResult.progressing(
          "meta runs; waiting for its admin token in " + c.layout().metaAdminTokenFile());
    }
    return StepResult.done("meta serving on " + c.layout().metaEndpoint());
  }
}
