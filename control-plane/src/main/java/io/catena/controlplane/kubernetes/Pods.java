package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The pods of one daemon kind, by StatefulSet ordinal. */
record Pods(DaemonKind kind, Map<Integer, Pod> byOrdinal) {

  static final String TEMPLATE_HASH = "catena.io/template-hash";

  static Pods of(StepContext context, DaemonKind kind) {
    List<Pod> pods =
        context
            .client()
            .pods()
            .inNamespace(context.names().namespace())
            .withLabels(context.names().selector(kind))
            .list()
            .getItems();
    Map<Integer, Pod> byOrdinal = new TreeMap<>();
    String prefix = context.names().daemons(kind) + "-";
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      if (name.startsWith(prefix) && pod.getMetadata().getDeletionTimestamp() == null) {
        try {
          byOrdinal.put(Integer.parseInt(name.substring(prefix.length())), pod);
        } catch (NumberFormatException e) {
          // not one of the StatefulSet's pods
        }
      }
    }
    return new Pods(kind, byOrdinal);
  }

  Optional<Pod> pod(int ordinal) {
    return Optional.ofNullable(byOrdinal.get(ordinal));
  }

  static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String templateHash(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    return a == null ? null : a.get(TEMPLATE_HASH);
  }
}
