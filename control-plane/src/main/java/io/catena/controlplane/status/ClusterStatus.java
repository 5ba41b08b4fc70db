package io.catena.controlplane.status;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the control plane observed at the end of a reconcile pass; the Kubernetes resource's {@code
 * status} reuses this shape.
 */
public record ClusterStatus(
    long observedGeneration,
    String updatedAt,
    List<Condition> conditions,
    MgmtdStatus mgmtd,
    List<NodeStatus> nodes,
    StateCounts targets,
    StateCounts chains,
    Capacity capacity,
    List<StepStatus> steps,
    List<TenantStatus> tenants) {

  public ClusterStatus {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    steps = steps == null ? List.of() : List.copyOf(steps);
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
  }

  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }

  public boolean isReady() {
    return condition(Condition.READY).map(Condition::isTrue).orElse(false);
  }

  /** The mgmtd instances' endpoints and which one is primary (empty when none). */
  public record MgmtdStatus(List<String> endpoints, String primary) {}

  /** A node of the spec: its agent and the daemons deployed there. */
  public record NodeStatus(
      String name, int nodeId, String agentEndpoint, boolean joined, List<DaemonStatus> daemons) {}

  /** One daemon as its driver sees it. */
  public record DaemonStatus(
      String name, String kind, String state, long pid, String endpoint, String health) {}

  /** Counts by state, with the total. */
  public record StateCounts(int total, Map<String, Integer> byState) {}

  /** Raw capacity of the targets and what they hold. */
  public record Capacity(long totalBytes, long usedBytes) {}

  /** How a reconcile step ended in the last pass. */
  public record StepStatus(String name, String outcome, String message) {}

  /** A tenant of the spec and whether it exists yet. */
  public record TenantStatus(String name, boolean created, String message) {}
}
