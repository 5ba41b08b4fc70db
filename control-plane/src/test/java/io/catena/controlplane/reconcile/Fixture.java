package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.spec.ClusterManifest;
import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.spec.ClusterSpec.NodeSpec;
import io.catena.controlplane.spec.ClusterSpec.TenantSpec;
import io.catena.controlplane.tenant.TenantTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A three-node spec over temporary disks with fakes for every dependency. */
public final class Fixture {

  final Path root;
  public final ClusterLayout layout;
  public final FakeDriver driver = new FakeDriver();
  public final FakeMgmtd mgmtd = new FakeMgmtd();
  public final FakeTenants tenants = new FakeTenants();
  public final TenantTokens tokens;
  public final ReconcileContext context;

  public Fixture(Path root, int nodes) {
    this.root = root;
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      specs.add(
          new NodeSpec(
              "node-" + i,
              null,
              "10.0.0." + i,
              Map.of("rack", "r" + i),
              List.of(root.resolve("n" + i + "/d0").toString()),
              2));
    }
    ClusterManifest manifest =
        new ClusterManifest(
            null,
            null,
            new ClusterManifest.ClusterMetadata("test", 3L),
            new ClusterSpec(
                Math.min(3, nodes),
                null,
                null,
                null,
                null,
                null,
                null,
                specs,
                List.of(new TenantSpec("default", null)),
                null));
    this.layout = new ClusterLayout(manifest, new PortBook(null));
    this.tokens = new TenantTokens(root.resolve("tokens"));
    this.context = new ReconcileContext(layout, driver, mgmtd, tenants, tokens);
  }

  public void joinAll() {
    layout.nodes().forEach(n -> driver.join(n.name()));
  }

  void writeMetaToken() throws IOException {
    Files.createDirectories(layout.metaAdminTokenFile().getParent());
    Files.writeString(layout.metaAdminTokenFile(), "admin\n");
  }

  /** Runs passes, making daemons healthy as they appear, until ready or {@code max} passes. */
  public Reconciler.Pass converge(Reconciler reconciler, int max) throws IOException {
    Reconciler.Pass pass = null;
    for (int i = 0; i < max; i++) {
      pass = reconciler.pass();
      if (pass.status().isReady()) {
        return pass;
      }
      driver.makeHealthy(null);
      if (driver.daemons.values().stream().anyMatch(m -> m.containsKey(DaemonKind.META.id()))) {
        writeMetaToken();
      }
    }
    return pass;
  }
}
