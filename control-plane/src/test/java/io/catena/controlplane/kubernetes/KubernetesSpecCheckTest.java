package io.catena.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.spec.SpecProblem;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesSpecCheckTest {

  static CatenaCluster cluster(ClusterSpec spec) {
    CatenaCluster c = new CatenaCluster();
    c.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("ns").build());
    c.setSpec(spec);
    return c;
  }

  static List<String> paths(List<SpecProblem> problems) {
    return problems.stream().map(SpecProblem::path).toList();
  }

  @Test
  void theSampleSpecIsValidAndGetsPodAddresses() {
    ClusterSpec spec = OperatorMockServerTest.spec(3);
    assertThat(KubernetesSpecCheck.problems(cluster(spec))).isEmpty();
    ClusterSpec defaulted = KubernetesSpecCheck.withDefaults(new ClusterNames("demo", "ns"), spec);
    assertThat(defaulted.nodes().get(2).address()).isEqualTo("demo-storage-2.demo-storage.ns.svc");
  }

  @Test
  void kubernetesRulesNameTheirFields() {
    ClusterSpec base = OperatorMockServerTest.spec(3);
    List<NodeSpec> nodes =
        List.of(
            base.nodes().get(0),
            new NodeSpec("ssd-1", null, "10.0.0.2", Map.of("rack", "r1"), List.of("/d/0"), null),
            base.nodes().get(2));
    ClusterSpec spec =
        new ClusterSpec(
            3,
            null,
            null,
            "rack",
            new ClusterSpec.KvSpec("fdb", null),
            null,
            null,
            nodes,
            base.tenants(),
            null,
            new ClusterSpec.KubernetesSpec(
                null,
                "Sometimes",
                null,
                "lots",
                null,
                null,
                null,
                new ClusterSpec.SidecarSpec(70000, "nobody", null)));
    assertThat(paths(KubernetesSpecCheck.problems(cluster(spec))))
        .containsExactlyInAnyOrder(
            "spec.nodes[1].address",
            "spec.nodes[1].disks",
            "spec.kubernetes.diskSize",
            "spec.kubernetes.imagePullPolicy",
            "spec.kubernetes.sidecar.port",
            "spec.kubernetes.sidecar.defaultTenant");
  }

  @Test
  void updatesThatTheOperatorCannotCarryOutAreRefused() {
    ClusterSpec before = OperatorMockServerTest.spec(6);
    ClusterSpec fewer = OperatorMockServerTest.spec(3);
    assertThat(paths(KubernetesSpecCheck.changeProblems(before, fewer)))
        .containsExactly("spec.nodes");
    assertThat(KubernetesSpecCheck.changeProblems(fewer, before)).isEmpty();
    ClusterSpec otherRf =
        new ClusterSpec(
            2, "1MiB", null, "rack", null, null, null, before.nodes(), before.tenants(), null);
    assertThat(paths(KubernetesSpecCheck.changeProblems(before, otherRf)))
        .containsExactly("spec.replicationFactor");
  }
}
