package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.DaemonKind;

/**
 * The HTTP gateway. This distribution has no {@code catena daemon gateway} yet, so the step says so
 * and is skipped; clients use meta and storage directly until it exists.
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
          "this distribution has no 'catena daemon gateway' yet; no HTTP gateway is started");
    }
    return StepResult.skipped(
        "'catena daemon gateway' exists but the control plane does not deploy it yet");
  }
}
