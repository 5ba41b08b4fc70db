package io.catena.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * Reports the client side: how many pods ask for this cluster ({@code catena.io/client=<name>}) and
 * how many of them carry the gateway sidecar the webhook injects.
 */
final class GatewayStep implements ReconcileStep {
  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public StepOutcome run(StepContext context) {
    List<Pod> clients =
        context
            .client()
            .pods()
            .inNamespace(context.names().namespace())
            .withLabel(ClusterNames.CLIENT_LABEL, context.names().cluster())
            .list()
            .getItems();
    long injected =
        clients.stream()
            .filter(
                p ->
                    p.getSpec().getContainers().stream()
                        .anyMatch(c -> SidecarInjector.CONTAINER.equals(c.getName())))
            .count();
    return StepOutcome.done(clients.size() + " client pods, " + injected + " with the sidecar");
  }
}
