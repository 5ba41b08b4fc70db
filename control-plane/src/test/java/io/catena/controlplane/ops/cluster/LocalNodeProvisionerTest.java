package io.catena.controlplane.ops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.controlplane.spec.ClusterManifest;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.spec.SpecFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalNodeProvisionerTest {

  private static final Path DATA = Path.of("/data/cluster");

  private static ClusterManifest local(int nodes) {
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      specs.add(
          new NodeSpec(
              "node-" + i,
              i,
              "127.0.0.1",
              Map.of("rack", "rack-" + i),
              List.of(DATA.resolve("nodes/node-" + i + "/disk0").toString()),
              4));
    }
    return new ClusterManifest(
        ClusterManifest.API_VERSION,
        ClusterManifest.KIND,
        new ClusterManifest.ClusterMetadata("local", 1L),
        new ClusterSpec(
            3, null, null, null, null, null, null, specs, List.of(), ClusterSpec.PROFILE_LOCAL));
  }

  @Test
  void aNewNodeIsALoopbackNodeWithItsOwnRackAndDiskAndANewGeneration() {
    ClusterManifest grown = LocalNodeProvisioner.withNode(local(3), 4, DATA);

    assertThat(grown.generation()).isEqualTo(2);
    assertThat(grown.spec().nodes()).hasSize(4);
    NodeSpec added = grown.spec().nodes().getLast();
    assertThat(added.name()).isEqualTo("node-4");
    assertThat(added.id()).isEqualTo(4);
    assertThat(added.address()).isEqualTo("127.0.0.1");
    assertThat(added.labels()).isEqualTo(Map.of("rack", "rack-4"));
    assertThat(added.disks()).containsExactly("/data/cluster/nodes/node-4/disk0");
    assertThat(added.targetsPerDisk()).isEqualTo(4);
    assertThat(grown.spec().nodes().subList(0, 3)).isEqualTo(local(3).spec().nodes());
    assertThat(grown.spec().isLocal()).isTrue();
  }

  @Test
  void aNodeAlreadyInTheSpecLeavesItAsItIs() {
    ClusterManifest spec = local(3);
    assertThat(LocalNodeProvisioner.withNode(spec, 2, DATA)).isSameAs(spec);
  }

  @Test
  void theGrownSpecSurvivesTheSpecFileRoundTrip() {
    ClusterManifest grown =
        LocalNodeProvisioner.withNode(LocalNodeProvisioner.withNode(local(3), 4, DATA), 5, DATA);
    ClusterManifest read = SpecFiles.parse(SpecFiles.toYaml(grown));
    assertThat(read.spec().nodes()).hasSize(5);
    assertThat(read.generation()).isEqualTo(3);
    assertThat(read.spec().nodes().getLast().name()).isEqualTo("node-5");
  }

  @Test
  void aNameTakenByAnotherIdIsRefused() {
    ClusterManifest odd = local(1);
    List<NodeSpec> nodes = new ArrayList<>(odd.spec().nodes());
    nodes.add(new NodeSpec("node-7", 2, "127.0.0.1", Map.of(), List.of("/d"), 4));
    ClusterSpec s = odd.spec();
    ClusterManifest m =
        new ClusterManifest(
            odd.apiVersion(),
            odd.kind(),
            odd.metadata(),
            new ClusterSpec(
                s.replicationFactor(),
                null,
                null,
                null,
                null,
                null,
                null,
                nodes,
                List.of(),
                s.profile()));
    assertThatThrownBy(() -> LocalNodeProvisioner.withNode(m, 7, DATA))
        .hasMessageContaining("node-7");
  }
}
