package io.catena.controlplane.kubernetes;

import io.catena.controlplane.mgmtd.MgmtdAdmin;
import io.catena.controlplane.spec.ClusterSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Supplier;

/**
 * What a step works with: the client, the resource, its spec with Kubernetes defaults, the names,
 * mgmtd's admin API (opened on first use), and the event recorder.
 */
public record StepContext(
    KubernetesClient client,
    CatenaCluster cluster,
    ClusterSpec spec,
    ClusterNames names,
    KubernetesSettings settings,
    Supplier<MgmtdAdmin> mgmtd,
    ClusterEvents events) {}
