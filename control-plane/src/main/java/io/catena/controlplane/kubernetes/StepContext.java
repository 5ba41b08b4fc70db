package io.catena.controlplane.kubernetes;

import io.catena.controlplane.mgmtd.MgmtdAdmin;
import io.catena.controlplane.spec.ClusterSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Supplier;

/**
 * What a step works with: the client, the resource, its spec with Kubernetes defaults, the names,
 * mgmtd's admin API (opened on first use), the event recorder, the operation changing the cluster
 * now ({@code op-3 (drain)}; empty when none: steps that reshape the cluster wait for it) and the
 * cordoned (drained) storage nodes by mgmtd node id.
 */
public record StepContext(
    KubernetesClient client,
    CatenaCluster cluster,
    ClusterSpec spec,
    ClusterNames names,
    KubernetesSettings settings,
    Supplier<MgmtdAdmin> mgmtd,
    ClusterEvents events,
    java.util.Optional<String> runningOperation,
    java.util.Set<Integer> cordoned) {}
