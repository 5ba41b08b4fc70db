package io.catena.controlplane.kubernetes;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.ops.cluster.NodeProvisioner;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale-out under Kubernetes: node N becomes the next storage pod. The node is appended to the
 * CatenaCluster's {@code spec.nodes} (id N, named {@code node-N}, the last node's disks and targets
 * per disk, its own failure domain), so the reconciler wants the same StatefulSet size, then the
 * storage StatefulSet's replicas are raised, and the step returns the pod's DNS address once the
 * pod is Ready.
 */
final class StatefulSetNodeProvisioner implements NodeProvisioner {

  private static final Logger log = LoggerFactory.getLogger(StatefulSetNodeProvisioner.class);
  private static final int CONFLICT_RETRIES = 20;

  private final KubernetesClient client;
  private final ClusterNames names;
  private final Duration readyTimeout;
  private final Duration poll;

  StatefulSetNodeProvisioner(
      KubernetesClient client, ClusterNames names, Duration readyTimeout, Duration poll) {
    this.client = client;
    this.names = names;
    this.readyTimeout = readyTimeout;
    this.poll = poll;
  }

  @Override
  public synchronized String startStorageNode(int nodeId) {
    int ordinal = ensureInSpec(nodeId);
    StatefulSet sts =
        client
            .apps()
            .statefulSets()
            .inNamespace(names.namespace())
            .withName(names.daemons(DaemonKind.STORAGE))
            .get();
    if (sts == null) {
      throw new IllegalStateException(
          names.daemons(DaemonKind.STORAGE) + " does not exist: the cluster is not deployed yet");
    }
    if (sts.getSpec().getReplicas() < ordinal + 1) {
      client
          .apps()
          .statefulSets()
          .inNamespace(names.namespace())
          .withName(names.daemons(DaemonKind.STORAGE))
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"replicas\":" + (ordinal + 1) + "}}");
      log.info(
          "{} raised to {} pods for node {}",
          names.daemons(DaemonKind.STORAGE),
          ordinal + 1,
          nodeId);
    }
    awaitReady(names.pod(DaemonKind.STORAGE, ordinal));
    return names.podHost(DaemonKind.STORAGE, ordinal) + ":" + ClusterNames.STORAGE_PORT;
  }

  /** The storage ordinal of node {@code nodeId}, appending it to the spec when it is new. */
  private int ensureInSpec(int nodeId) {
    for (int attempt = 0; ; attempt++) {
      CatenaCluster cluster =
          client
              .resources(CatenaCluster.class)
              .inNamespace(names.namespace())
              .withName(names.cluster())
              .get();
      if (cluster == null) {
        throw new IllegalStateException(
            "CatenaCluster " + names.namespace() + "/" + names.cluster() + " is gone");
      }
      ClusterSpec spec = cluster.getSpec();
      for (int i = 0; i < spec.nodes().size(); i++) {
        if (DaemonResources.nodeId(spec, i) == nodeId) {
          return i;
        }
      }
      cluster.setSpec(withNode(spec, nodeId));
      cluster.setStatus(null);
      try {
        client.resource(cluster).update(); // resourceVersion set: a concurrent edit conflicts
        log.info("node {} appended to {}'s spec.nodes", nodeId, names.cluster());
        return spec.nodes().size();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }

  /** {@code spec} with node {@code nodeId} appended, shaped like the last node. */
  static ClusterSpec withNode(ClusterSpec spec, int nodeId) {
    if (spec.nodes().isEmpty()) {
      throw new IllegalStateException("the cluster has no storage node to copy the shape of");
    }
    NodeSpec last = spec.nodes().getLast();
    String name = "node-" + nodeId;
    while (true) {
      String candidate = name;
      if (spec.nodes().stream().noneMatch(n -> n.name().equals(candidate))) {
        break;
      }
      name = name + "x";
    }
    String domain = spec.failureDomainLabelOrDefault();
    List<NodeSpec> nodes = new ArrayList<>(spec.nodes());
    nodes.add(
        new NodeSpec(
            name,
            nodeId,
            null,
            Map.of(domain, domain + "-" + nodeId),
            last.disks(),
            last.targetsPerDisk()));
    return new ClusterSpec(
        spec.replicationFactor(),
        spec.chunkSize(),
        spec.stripe(),
        spec.failureDomainLabel(),
        spec.kv(),
        spec.mgmtd(),
        spec.meta(),
        nodes,
        spec.tenants(),
        spec.profile(),
        spec.kubernetes());
  }

  private void awaitReady(String pod) {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    while (true) {
      Pod now = client.pods().inNamespace(names.namespace()).withName(pod).get();
      if (now != null && now.getMetadata().getDeletionTimestamp() == null && Pods.ready(now)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "pod " + pod + " was not Ready within " + readyTimeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for pod " + pod, e);
      }
    }
  }
}
