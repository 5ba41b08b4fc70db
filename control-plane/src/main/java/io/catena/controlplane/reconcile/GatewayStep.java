package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.DaemonKind;
import java.util.List;

/**
 * The HTTP gateway (docs/gateway.md) on the first meta node, for engines that speak HTTP rather
 * than the client library. A distribution without {@code catena daemon gateway} skips it.
 */
public final class GatewayStep implements ReconcileStep {

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public StepResult run(ReconcileContext c) {
    if (!c.driver().availableKinds().contains(DaemonKind.GATEWAY)) {
      return StepResult.skipped(
          "this distribution has no 'catena daemon gateway'; no HTTP gateway is started");
    }
    List<String> notHealthy =
        DaemonsRunning.ensure(c, List.of(c.layout().gatewayNode()), c.layout()::gateway);
    if (!notHealthy.isEmpty()) {
      return StepResult.progressing("gateway starting on " + String.join(", ", notHealthy));
    }
    return StepResult.done("gateway serving on http://" + c.layout().gatewayEndpoint());
  }
}
