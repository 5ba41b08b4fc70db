package io.catena.controlplane.kubernetes;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Against a real API server (kind, minikube...): runs only when KUBECONFIG is set. Installs the
 * CRD, runs the operator on a fresh namespace and checks that a CatenaCluster gets its mgmtd
 * Service and StatefulSet and a status with observedGeneration; deletes the namespace after.
 */
class RealApiServerTest {

  @Test
  void operatorStartsAClusterOnARealApiServer() throws Exception {
    assumeTrue(
        System.getenv("KUBECONFIG") != null,
        "no KUBECONFIG: the real API server suite needs a cluster (kind or minikube)");
    String ns = "catena-it-" + UUID.randomUUID().toString().substring(0, 8);
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      CustomResourceDefinition crd =
          Serialization.unmarshal(
              Files.readString(ManifestsTest.DIR.resolve("00-catenaclusters.catena.io-crd.yaml")),
              CustomResourceDefinition.class);
      client.resource(crd).serverSideApply();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c.getStatus() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  x.getType().equals("Established")
                                      && x.getStatus().equals("True")),
              60,
              java.util.concurrent.TimeUnit.SECONDS);
      client
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      try (CatenaOperator operator =
          CatenaOperator.start(
              client, Set.of(ns), CatenaOperator.inClusterMgmtd(), Clock.systemUTC())) {
        CatenaCluster cluster = new CatenaCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("it").withNamespace(ns).build());
        cluster.setSpec(OperatorMockServerTest.spec(3));
        client.resource(cluster).create();
        client
            .apps()
            .statefulSets()
            .inNamespace(ns)
            .withName("it-mgmtd")
            .waitUntilCondition(s -> s != null, 120, java.util.concurrent.TimeUnit.SECONDS);
        client
            .resources(CatenaCluster.class)
            .inNamespace(ns)
            .withName("it")
            .waitUntilCondition(
                c -> c != null && c.getStatus() != null && c.getStatus().observedGeneration() == 1,
                120,
                java.util.concurrent.TimeUnit.SECONDS);
      } finally {
        client.namespaces().withName(ns).delete();
      }
    }
  }
}
