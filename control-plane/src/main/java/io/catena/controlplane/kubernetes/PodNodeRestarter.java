package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.ops.cluster.NodeRestarter;
import io.catena.controlplane.spec.ClusterSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Rolling restarts under Kubernetes: a "node" is one daemon pod (storage pods, then meta, then
 * mgmtd, each by ordinal), and restarting it deletes the pod and waits until the StatefulSet's
 * replacement (same name, new uid) is Ready. It runs on the operations executor, never inside a
 * reconcile, so waiting here holds up nothing but the operation.
 */
final class PodNodeRestarter implements NodeRestarter {

  private static final List<DaemonKind> ORDER =
      List.of(DaemonKind.STORAGE, DaemonKind.META, DaemonKind.MGMTD);

  private final KubernetesClient client;
  private final ClusterNames names;
  private final Supplier<ClusterSpec> spec;
  private final Supplier<String> primary;
  private final Duration readyTimeout;
  private final Duration poll;

  /**
   * @param spec the cluster's current spec (storage pod ordinal → mgmtd node id)
   * @param primary the mgmtd primary's address ({@code pod.service.ns.svc:port}), "" when none
   * @param readyTimeout how long a replacement pod may take to become Ready
   */
  PodNodeRestarter(
      KubernetesClient client,
      ClusterNames names,
      Supplier<ClusterSpec> spec,
      Supplier<String> primary,
      Duration readyTimeout,
      Duration poll) {
    this.client = client;
    this.names = names;
    this.spec = spec;
    this.primary = primary;
    this.readyTimeout = readyTimeout;
    this.poll = poll;
  }

  @Override
  public List<String> nodes() {
    List<String> out = new ArrayList<>();
    for (DaemonKind kind : ORDER) {
      Map<Integer, String> byOrdinal = new TreeMap<>();
      for (Pod pod :
          client
              .pods()
              .inNamespace(names.namespace())
              .withLabels(names.selector(kind))
              .list()
              .getItems()) {
        ordinal(kind, pod.getMetadata().getName())
            .ifPresent(o -> byOrdinal.put(o, pod.getMetadata().getName()));
      }
      out.addAll(byOrdinal.values());
    }
    return out;
  }

  private OptionalInt ordinal(DaemonKind kind, String pod) {
    String prefix = names.daemons(kind) + "-";
    if (!pod.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(pod.substring(prefix.length())));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  @Override
  public OptionalInt storageNodeId(String node) {
    OptionalInt ordinal = ordinal(DaemonKind.STORAGE, node);
    ClusterSpec current = spec.get();
    if (ordinal.isEmpty() || current == null || ordinal.getAsInt() >= current.nodes().size()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(DaemonResources.nodeId(current, ordinal.getAsInt()));
  }

  @Override
  public boolean hostsMgmtdPrimary(String node) {
    return ordinal(DaemonKind.MGMTD, node).isPresent() && primary.get().startsWith(node + ".");
  }

  @Override
  public void restart(String node) {
    Pod before = client.pods().inNamespace(names.namespace()).withName(node).get();
    if (before == null) {
      throw new IllegalStateException("pod " + node + " does not exist");
    }
    String uid = before.getMetadata().getUid();
    client.pods().inNamespace(names.namespace()).withName(node).delete();
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    while (true) {
      Pod now = client.pods().inNamespace(names.namespace()).withName(node).get();
      if (now != null
          && !Objects.equals(uid, now.getMetadata().getUid())
          && now.getMetadata().getDeletionTimestamp() == null
          && Pods.ready(now)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "pod "
                + node
                + " was deleted but its replacement was not Ready within "
                + readyTimeout.toSeconds()
                + " s"
                + (now == null ? " (the StatefulSet has not recreated it)" : ""));
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for pod " + node, e);
      }
    }
  }
}
