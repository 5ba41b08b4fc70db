package io.catena.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.ops.OperationKind;
import io.catena.controlplane.ops.OperationState;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterOperationsTest {

  @ParameterizedTest
  @CsvSource({
    "DRAIN, REFUSED, DrainRefused",
    "ROLLING_RESTART, RUNNING, RollingRestartRunning",
    "SCALE_OUT, SUCCEEDED, ScaleOutSucceeded",
    "SELF_HEAL, FAILED, SelfHealFailed"
  })
  void eventReasonIsKindAndState(OperationKind kind, OperationState state, String reason) {
    assertThat(ClusterOperations.reason(kind, state)).isEqualTo(reason);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"'' | []", "'3' | [3]", "'4, 1,,x' | [1, 4]"})
  void drainedNodesComeFromTheAnnotation(String annotation, String expected) {
    CatenaCluster cluster = new CatenaCluster();
    cluster.setMetadata(
        new ObjectMetaBuilder()
            .withName("c")
            .withAnnotations(Map.of(ClusterOperations.DRAINED, annotation))
            .build());
    assertThat(ClusterOperations.drained(cluster).toString()).isEqualTo(expected);
  }

  @Test
  void aProvisionedNodeIsShapedLikeTheLastInItsOwnDomain() {
    ClusterSpec spec =
        new ClusterSpec(
            3,
            "1MiB",
            null,
            "zone",
            null,
            null,
            null,
            List.of(
                new NodeSpec("a", null, null, Map.of("zone", "z1"), List.of("/d/0"), 2),
                new NodeSpec(
                    "node-8", null, null, Map.of("zone", "z2"), List.of("/d/0", "/d/1"), 3)),
            List.of(),
            null);
    ClusterSpec grown = StatefulSetNodeProvisioner.withNode(spec, 8);
    NodeSpec added = grown.nodes().getLast();
    assertThat(grown.nodes()).hasSize(3);
    assertThat(added.name()).isEqualTo("node-8x");
    assertThat(added.id()).isEqualTo(8);
    assertThat(added.address()).as("the pod's DNS name, filled in by the operator").isNull();
    assertThat(added.labels()).containsExactly(Map.entry("zone", "zone-8"));
    assertThat(added.disks()).containsExactly("/d/0", "/d/1");
    assertThat(added.targetsPerDisk()).isEqualTo(3);
  }
}
