package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.JoinedNode;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Every node of the spec has a joined agent. */
public final class AgentsJoinedStep implements ReconcileStep {

  @Override
  public String name() {
    return "agents-joined";
  }

  @Override
  public StepResult run(ReconcileContext c) {
    Set<String> joined =
        c.driver().nodes().stream().map(JoinedNode::name).collect(Collectors.toSet());
    List<String> missing =
        c.layout().nodes().stream().map(NodeSpec::name).filter(n -> !joined.contains(n)).toList();
    int total = c.layout().nodes().size();
    if (missing.isEmpty()) {
      return StepResult.done(total + " of " + total + " agents joined");
    }
    return StepResult.waiting(
        (total - missing.size())
            + " of "
            + total
            + " agents joined; waiting for "
            + String.join(", ", missing));
  }
}
