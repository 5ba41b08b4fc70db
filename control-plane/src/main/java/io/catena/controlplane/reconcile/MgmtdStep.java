package io.catena.controlplane.reconcile;

import java.util.List;
import java.util.Optional;

/** mgmtd runs on its nodes and one instance holds the primary lease. */
public final class MgmtdStep implements ReconcileStep {

  @Override
  public String name() {
    return "mgmtd";
  }

  @Override
  public StepResult run(ReconcileContext c) {
    List<String> notHealthy = DaemonsRunning.ensure(c, c.layout().mgmtdNodes(), c.layout()::mgmtd);
    if (!notHealthy.isEmpty()) {
      return StepResult.progressing("mgmtd starting on " + String.join(", ", notHealthy));
    }
    Optional<String> primary = c.mgmtd().primary();
    return primary
        .map(p -> StepResult.done("mgmtd primary " + p))
        .orElseGet(() -> StepResult.progressing("mgmtd runs; waiting for a primary"));
  }
}
