package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.DaemonDeployment;
import io.catena.controlplane.driver.DaemonObservation;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Shared by the daemon steps: ensure each deployment runs, and say which are not healthy yet. */
final class DaemonsRunning {

  private DaemonsRunning() {}

  /** Not-healthy daemons as "node (state: detail)"; empty when all are healthy. */
  static List<String> ensure(
      ReconcileContext c, List<NodeSpec> nodes, Function<NodeSpec, DaemonDeployment> deployment) {
    List<String> notHealthy = new ArrayList<>();
    for (NodeSpec node : nodes) {
      DaemonObservation seen = c.driver().ensureRunning(node.name(), deployment.apply(node));
      if (!seen.healthy()) {
        notHealthy.add(
            node.name()
                + " ("
                + seen.state().name().toLowerCase(java.util.Locale.ROOT)
                + (seen.detail().isBlank() ? "" : ": " + seen.detail())
                + ")");
      }
    }
    return notHealthy;
  }
}
