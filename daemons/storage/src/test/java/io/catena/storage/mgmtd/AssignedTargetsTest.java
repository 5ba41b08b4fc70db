package io.catena.storage.mgmtd;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.protocol.mgmtd.TargetInfo;
import io.catena.storage.server.TargetConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssignedTargetsTest {

  private static TargetInfo target(long id, int node, int disk, Integer chain) {
    TargetInfo.Builder b = TargetInfo.newBuilder().setTargetId(id).setNodeId(node).setDisk(disk);
    if (chain != null) {
      b.setChainId(chain);
    }
    return b.build();
  }

  private final List<Path> disks = List.of(Path.of("/d0"), Path.of("/d1"));

  @Test
  void createsOnlyThisNodesChainedUnservedTargetsOnTheirDisk() {
    RoutingInfo info =
        RoutingInfo.newBuilder()
            .addTargets(target(12, 1, 1, 3))
            .addTargets(target(11, 1, 0, 2))
            .addTargets(target(13, 1, 0, null)) // spare: not in a chain yet
            .addTargets(target(21, 2, 0, 2)) // another node's
            .addTargets(target(14, 1, 0, 5)) // already served
            .build();

    AssignedTargets.Result result = AssignedTargets.toCreate(info, 1, Set.of(14L), disks);

    assertThat(result.create())
        .containsExactly(
            new TargetConfig(11, 2, Path.of("/d0/catena/targets/11")),
            new TargetConfig(12, 3, Path.of("/d1/catena/targets/12")));
    assertThat(result.unplaceable()).isEmpty();
  }

  @Test
  void aTargetOnADiskTheDaemonLacksIsReportedNotCreated() {
    RoutingInfo info = RoutingInfo.newBuilder().addTargets(target(15, 1, 2, 4)).build();

    AssignedTargets.Result result = AssignedTargets.toCreate(info, 1, Set.of(), disks);

    assertThat(result.create()).isEmpty();
    assertThat(result.unplaceable()).containsExactly(15L);
  }
}
