package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.mgmtd.MgmtdException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one daemon kind: its headless Service and StatefulSet, then waits (by rescheduling) until
 * every pod is Ready. Storage is never scaled down here: fewer nodes in the spec is refused, since
 * removing a node must first move its chains (a drain plan).
 */
final class DaemonStep implements ReconcileStep {
  private final DaemonKind kind;

  DaemonStep(DaemonKind kind) {
    this.kind = kind;
  }

  @Override
  public String name() {
    return kind.id();
  }

  @Override
  public StepOutcome run(StepContext context) {
    ClusterNames names = context.names();
    CatenaCluster cluster = context.cluster();
    Apply.Result service =
        Apply.ensure(context.client(), DaemonResources.headlessService(cluster, kind));
    if (service == Apply.Result.CREATED) {
      context.events().normal("ServiceCreated", "created headless Service " + names.daemons(kind));
    }
    StatefulSet desired =
        withTemplateHash(DaemonResources.statefulSet(cluster, context.spec(), kind));
    StatefulSet current =
        context
            .client()
            .apps()
            .statefulSets()
            .inNamespace(names.namespace())
            .withName(names.daemons(kind))
            .get();
    int want = desired.getSpec().getReplicas();
    if (current != null && current.getSpec().getReplicas() > want) {
      return StepOutcome.failed(
          "ScaleDownRefused",
          names.daemons(kind)
              + " runs "
              + current.getSpec().getReplicas()
              + " pods and the spec asks for "
              + want
              + ": drain the nodes first; nothing was removed");
    }
    Apply.Result result = Apply.ensure(context.client(), desired);
    switch (result) {
      case CREATED ->
          context
              .events()
              .normal("StatefulSetCreated", "created " + names.daemons(kind) + " (" + want + ")");
      case UPDATED -> {
        int before = current == null ? 0 : current.getSpec().getReplicas();
        if (before != want) {
          context
              .events()
              .normal(
                  "ScaledOut",
                  names.daemons(kind) + " scaled from " + before + " to " + want + " pods");
        } else {
          context.events().normal("StatefulSetUpdated", "updated " + names.daemons(kind));
        }
      }
      case UNCHANGED -> {}
    }
    Pods pods = Pods.of(context, kind);
    List<String> notReady = new ArrayList<>();
    List<Integer> notReadyOrdinals = new ArrayList<>();
    int ready = 0;
    for (int i = 0; i < want; i++) {
      Pod pod = pods.pod(i).orElse(null);
      if (pod == null) {
        notReady.add(names.pod(kind, i) + " (missing)");
        notReadyOrdinals.add(i);
      } else if (!Pods.ready(pod)) {
        notReady.add(names.pod(kind, i) + " (not ready)");
        notReadyOrdinals.add(i);
      } else {
        ready++;
      }
    }
    if (!notReady.isEmpty()) {
      String message = ready + "/" + want + " ready; waiting for " + String.join(", ", notReady);
      return kind == DaemonKind.STORAGE && anyRegistered(context, notReadyOrdinals)
          ? StepOutcome.lost("PodsNotReady", message)
          : StepOutcome.waiting("PodsNotReady", message);
    }
    return StepOutcome.done(ready + "/" + want + " ready");
  }

  /**
   * Whether mgmtd already knows the node of one of these storage pods: then the pod was part of the
   * running cluster and is lost, not still coming up (a new pod's node is registered only after it
   * is first ready, by the chain-table step). Unknown when mgmtd cannot be asked: not lost.
   */
  private static boolean anyRegistered(StepContext context, List<Integer> ordinals) {
    Set<Integer> known = new HashSet<>();
    try {
      context.mgmtd().get().nodes().forEach(n -> known.add(n.getNodeId()));
    } catch (MgmtdException e) {
      return false;
    }
    for (int ordinal : ordinals) {
      if (ordinal < context.spec().nodes().size()) {
        Integer id = context.spec().nodes().get(ordinal).id();
        if (known.contains(id == null ? ordinal + 1 : id)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Stamps the pod template with its own hash, so the rollout step sees which pods are old. */
  static StatefulSet withTemplateHash(StatefulSet sts) {
    var meta = sts.getSpec().getTemplate().getMetadata();
    String hash = Apply.hash(sts.getSpec().getTemplate().getSpec());
    Map<String, String> annotations =
        meta.getAnnotations() == null ? new HashMap<>() : new HashMap<>(meta.getAnnotations());
    annotations.put(Pods.TEMPLATE_HASH, hash);
    meta.setAnnotations(annotations);
    return sts;
  }
}
