package io.catena.controlplane.ops.cluster;

import io.catena.controlplane.driver.ClusterDriver;
import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.driver.DaemonObservation;
import io.catena.controlplane.reconcile.ClusterLayout;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Rolling restarts through the cluster driver (node agents): each daemon of a node is restarted by
 * its agent, mgmtd last on the node, and the step returns once each answers on its port again.
 */
public final class DriverNodeRestarter implements NodeRestarter {

  private final ClusterDriver driver;
  private final Supplier<ClusterLayout> layouts;
  private final Supplier<String> mgmtdPrimary;
  private final Duration healthyTimeout;

  /** {@code mgmtdPrimary} gives the primary's address as mgmtd reports it ("" when none). */
  public DriverNodeRestarter(
      ClusterDriver driver,
      ClusterLayout layout,
      Supplier<String> mgmtdPrimary,
      Duration healthyTimeout) {
    this(driver, () -> layout, mgmtdPrimary, healthyTimeout);
  }

  /** {@code layouts} gives the current layout (nodes a scale-out added included). */
  public DriverNodeRestarter(
      ClusterDriver driver,
      Supplier<ClusterLayout> layouts,
      Supplier<String> mgmtdPrimary,
      Duration healthyTimeout) {
    this.driver = driver;
    this.layouts = layouts;
    this.mgmtdPrimary = mgmtdPrimary;
    this.healthyTimeout = healthyTimeout;
  }

  @Override
  public List<String> nodes() {
    return layouts.get().nodes().stream().map(NodeSpec::name).toList();
  }

  @Override
  public OptionalInt storageNodeId(String node) {
    boolean storage =
        driver.observeAll(node).stream().anyMatch(d -> d.kind() == DaemonKind.STORAGE);
    return storage
        ? OptionalInt.of(layouts.get().nodeId(layouts.get().node(node)))
        : OptionalInt.empty();
  }

  @Override
  public boolean hostsMgmtdPrimary(String node) {
    String primary = mgmtdPrimary.get();
    return layouts.get().mgmtdNodes().stream()
        .filter(n -> n.name().equals(node))
        .anyMatch(n -> layouts.get().endpoint(n, DaemonKind.MGMTD).equals(primary));
  }

  @Override
  public void restart(String node) {
    List<DaemonObservation> daemons =
        driver.observeAll(node).stream()
            .sorted(Comparator.comparing((DaemonObservation d) -> d.kind() == DaemonKind.MGMTD))
            .toList();
    for (DaemonObservation d : daemons) {
      driver.act(node, d.name(), ClusterDriver.DaemonAction.RESTART);
      awaitHealthy(node, d.name());
    }
  }

  private void awaitHealthy(String node, String daemon) {
    long deadline = System.nanoTime() + healthyTimeout.toNanos();
    while (!driver.observe(node, daemon).healthy()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            daemon
                + " on "
                + node
                + " is not healthy "
                + healthyTimeout.toSeconds()
                + " s after its restart");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + daemon + " restarts", e);
      }
    }
  }
}
