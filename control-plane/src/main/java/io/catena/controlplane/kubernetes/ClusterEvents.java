package io.catena.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes Kubernetes Events about a CatenaCluster ({@code kubectl describe} shows them). */
public final class ClusterEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);

  private final KubernetesClient client;
  private final CatenaCluster cluster;

  public ClusterEvents(KubernetesClient client, CatenaCluster cluster) {
    this.client = client;
    this.cluster = cluster;
  }

  public void normal(String reason, String message) {
    publish("Normal", reason, message);
  }

  public void warning(String reason, String message) {
    publish("Warning", reason, message);
  }

  private void publish(String type, String reason, String message) {
    String now = Instant.now().toString();
    String namespace = cluster.getMetadata().getNamespace();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                cluster.getMetadata().getName()
                    + "."
                    + UUID.randomUUID().toString().substring(0, 13))
            .withNamespace(namespace)
            .withLabels(ClusterNames.of(cluster).labels())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(cluster.getApiVersion())
                    .withKind(cluster.getKind())
                    .withName(cluster.getMetadata().getName())
                    .withNamespace(namespace)
                    .withUid(cluster.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(ClusterNames.OPERATOR)
            .endSource()
            .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot publish event {} for {}: {}", reason, cluster.getMetadata().getName(), e);
    }
  }
}
