package io.catena.console.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologyLayoutTest {

  /** {@code nodes} nodes over 3 racks, 4 disks each, {@code perDisk} targets per disk. */
  static List<TargetCell> cluster(int nodes, int perDisk) {
    List<TargetCell> cells = new ArrayList<>();
    long id = 1;
    for (int n = 1; n <= nodes; n++) {
      for (int d = 0; d < 4; d++) {
        for (int t = 0; t < perDisk; t++) {
          cells.add(
              new TargetCell(
                  id,
                  "rack-" + (char) ('a' + n % 3),
                  "node-" + n,
                  "/d" + d,
                  (int) (id % 997),
                  "SERVING"));
          id++;
        }
      }
    }
    return cells;
  }

  @ParameterizedTest
  @CsvSource({
    "node-2, node-10, -1",
    "node-10, node-2, 1",
    "node-2, node-2, 0",
    "a1b, a1c, -1",
    "n-02, n-2, 0",
    "node, node-1, -1"
  })
  void nodesSortNaturally(String a, String b, int sign) {
    assertThat(Integer.signum(TopologyLayout.naturalOrder(a, b))).isEqualTo(sign);
  }

  @Test
  void groupsByFailureDomainThenNodeThenDisk() {
    TopologyLayout layout = TopologyLayout.of(cluster(4, 2), 800);
    assertThat(
            layout.headings().stream()
                .filter(h -> h.level() == 0)
                .map(TopologyLayout.Heading::text))
        .containsExactly("rack-a", "rack-b", "rack-c");
    // rack-b holds node-1 and node-4; node-1's heading comes before node-4's.
    List<String> nodes =
        layout.headings().stream()
            .filter(h -> h.level() == 1)
            .map(TopologyLayout.Heading::text)
            .toList();
    assertThat(nodes).containsExactly("node-3", "node-1", "node-4", "node-2");
    assertThat(layout.rows()).hasSize(16);
    assertThat(layout.cells()).hasSize(32);
  }

  @Test
  void everyCellIsHitAtItsOwnPositionAndGapsHitNothing() {
    TopologyLayout layout = TopologyLayout.of(cluster(5, 37), 700);
    for (TopologyLayout.Row row : layout.rows()) {
      for (int i = row.first(); i < row.first() + row.count(); i++) {
        double[] p = layout.position(row, i);
        assertThat(layout.hit(p[0] + 1, p[1] + 1)).isEqualTo(i);
        assertThat(layout.hit(p[0] + TopologyLayout.CELL - 0.5, p[1] + TopologyLayout.CELL - 0.5))
            .isEqualTo(i);
        assertThat(layout.hit(p[0] + TopologyLayout.CELL + 1, p[1] + 1)).isEqualTo(-1);
      }
    }
    assertThat(layout.hit(1, 1)).isEqualTo(-1);
    assertThat(layout.hit(300, layout.height() + 50)).isEqualTo(-1);
  }

  @Test
  void cellsWrapWithinTheWidthAndRowsDoNotOverlap() {
    double width = 640;
    TopologyLayout layout = TopologyLayout.of(cluster(3, 90), width);
    double previousBottom = 0;
    for (TopologyLayout.Row row : layout.rows()) {
      assertThat(row.y()).isGreaterThanOrEqualTo(previousBottom);
      previousBottom = row.bottom();
      for (int i = row.first(); i < row.first() + row.count(); i++) {
        assertThat(layout.position(row, i)[0] + TopologyLayout.CELL).isLessThanOrEqualTo(width);
      }
    }
  }

  @Test
  void tenThousandTargetsOnlyTheVisibleRowsAreVisited() {
    List<TargetCell> cells = cluster(100, 25); // 100 nodes × 4 disks × 25 = 10,000 targets
    long start = System.nanoTime();
    TopologyLayout layout = TopologyLayout.of(cells, 1000);
    long layoutMicros = (System.nanoTime() - start) / 1000;
    assertThat(layout.cells()).hasSize(10_000);
    List<TopologyLayout.Row> visible =
        layout.rowsIn(layout.height() / 2, layout.height() / 2 + 800);
    assertThat(visible.size()).isBetween(1, 60);
    assertThat(layout.rows()).hasSize(400);
    System.out.printf(
        "topology layout of 10,000 targets: %d µs, %d of %d rows visible%n",
        layoutMicros, visible.size(), layout.rows().size());
  }

  @ParameterizedTest
  @CsvSource({
    "nvme0, nvme0",
    "/tmp/catena-data-123/nodes/node-1/disk0, disk0",
    "/data/disk1/, disk1",
    "a-very-long-disk-name, a-very-long-…"
  })
  void aDiskIsLabelledByItsLastPathElementShortEnoughToFit(String disk, String label) {
    assertThat(TopologyCanvas.diskLabel(disk)).isEqualTo(label);
  }
}
