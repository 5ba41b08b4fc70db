package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.mgmtd.MgmtdAdmin;
import io.catena.controlplane.mgmtd.MgmtdException;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.PublicState;
import io.catena.protocol.mgmtd.TargetInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rolling upgrade: the StatefulSets use OnDelete, so a changed template (a new image) reaches a pod
 * only when this step deletes it, one pod per pass, in {@link RollPlanner}'s guarded order.
 */
final class RolloutStep implements ReconcileStep {
  @Override
  public String name() {
    return "rollout";
  }

  @Override
  public StepOutcome run(StepContext context) {
    ClusterNames names = context.names();
    List<RollPlanner.PodState> pods = new ArrayList<>();
    for (DaemonKind kind : List.of(DaemonKind.MGMTD, DaemonKind.META, DaemonKind.STORAGE)) {
      StatefulSet sts =
          context
              .client()
              .apps()
              .statefulSets()
              .inNamespace(names.namespace())
              .withName(names.daemons(kind))
              .get();
      if (sts == null) {
        continue;
      }
      String want =
          sts.getSpec().getTemplate().getMetadata().getAnnotations().get(Pods.TEMPLATE_HASH);
      for (Map.Entry<Integer, Pod> e : Pods.of(context, kind).byOrdinal().entrySet()) {
        Pod pod = e.getValue();
        int nodeId = 0;
        if (kind == DaemonKind.STORAGE && e.getKey() < context.spec().nodes().size()) {
          Integer id = context.spec().nodes().get(e.getKey()).id();
          nodeId = id == null ? e.getKey() + 1 : id;
        }
        pods.add(
            new RollPlanner.PodState(
                pod.getMetadata().getName(),
                kind,
                e.getKey(),
                want == null || want.equals(Pods.templateHash(pod)),
                Pods.ready(pod),
                nodeId));
      }
    }
    if (pods.stream().allMatch(RollPlanner.PodState::current)) {
      return StepOutcome.done("every pod runs the current template");
    }
    if (context.runningOperation().isPresent()) {
      return StepOutcome.waiting(
          "RolloutHeld",
          context.runningOperation().get() + " is changing the cluster; the rollout waits for it");
    }
    MgmtdAdmin mgmtd = context.mgmtd().get();
    String primaryPod = null;
    Map<Integer, Integer> elsewhere;
    try {
      String primary = mgmtd.primary().orElse("");
      for (RollPlanner.PodState p : pods) {
        if (p.kind() == DaemonKind.MGMTD && primary.startsWith(p.name() + ".")) {
          primaryPod = p.name();
        }
      }
      elsewhere = servingElsewhere(mgmtd.targets(), mgmtd.chains());
    } catch (MgmtdException e) {
      return StepOutcome.waiting("MgmtdUnavailable", "rollout waits for mgmtd: " + e.getMessage());
    }
    RollPlanner.Decision decision =
        RollPlanner.next(pods, primaryPod, context.spec().replicationFactorOrDefault(), elsewhere);
    return switch (decision) {
      case RollPlanner.Decision.Finished f ->
          StepOutcome.done("every pod runs the current template");
      case RollPlanner.Decision.Hold h -> StepOutcome.waiting("RolloutHeld", h.why());
      case RollPlanner.Decision.Restart r -> {
        context.client().pods().inNamespace(names.namespace()).withName(r.pod()).delete();
        context
            .events()
            .normal("PodRestarted", r.pod() + " restarted for the upgrade (" + r.why() + ")");
        yield StepOutcome.waiting("RollingUpgrade", "restarted " + r.pod());
      }
    };
  }

  /** For each node, the fewest serving replicas on other nodes among the chains it is part of. */
  static Map<Integer, Integer> servingElsewhere(List<TargetInfo> targets, List<ChainInfo> chains) {
    Map<Long, Integer> nodeOf = new HashMap<>();
    targets.forEach(t -> nodeOf.put(t.getTargetId(), t.getNodeId()));
    Map<Integer, Integer> fewest = new HashMap<>();
    for (ChainInfo chain : chains) {
      for (ChainMember member : chain.getMembersList()) {
        Integer node = nodeOf.get(member.getTargetId());
        if (node == null) {
          continue;
        }
        int serving = 0;
        for (ChainMember other : chain.getMembersList()) {
          if (!node.equals(nodeOf.get(other.getTargetId()))
              && other.getPublicState() == PublicState.SERVING) {
            serving++;
          }
        }
        fewest.merge(node, serving, Math::min);
      }
    }
    return fewest;
  }
}
