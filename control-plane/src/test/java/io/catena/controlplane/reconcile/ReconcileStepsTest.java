package io.catena.controlplane.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.driver.DaemonKind;
import io.catena.controlplane.reconcile.StepResult.Outcome;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.ChainMember;
import io.catena.protocol.mgmtd.TargetInfo;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each step alone, against fakes: what it does, and that running it again changes nothing. */
class ReconcileStepsTest {

  @TempDir Path root;

  private Fixture fixture() {
    return new Fixture(root, 3);
  }

  @Nested
  class AgentsJoined {
    @Test
    void waitsForTheMissingNodesByName() {
      Fixture f = fixture();
      f.driver.join("node-2");
      StepResult r = new AgentsJoinedStep().run(f.context);
      assertThat(r.outcome()).isEqualTo(Outcome.WAITING);
      assertThat(r.message()).contains("1 of 3").contains("node-1, node-3");
    }

    @Test
    void doneWhenEveryNodeJoined() {
      Fixture f = fixture();
      f.joinAll();
      assertThat(new AgentsJoinedStep().run(f.context).outcome()).isEqualTo(Outcome.DONE);
    }
  }

  @Nested
  class Mgmtd {
    @Test
    void deploysOnTheFirstNodeThenWaitsForHealthAndAPrimary() {
      Fixture f = fixture();
      f.joinAll();
      MgmtdStep step = new MgmtdStep();

      StepResult first = step.run(f.context);
      assertThat(first.outcome()).isEqualTo(Outcome.PROGRESSING);
      assertThat(f.driver.calls).containsExactly("start node-1/mgmtd");
      assertThat(f.driver.deployed.get("node-1/mgmtd").args())
          .contains("mgmtd", "--kv", "--listen", "10.0.0.1:8000", "production");

      f.driver.makeHealthy(DaemonKind.MGMTD);
      f.mgmtd.primary = null;
      assertThat(step.run(f.context).message()).contains("waiting for a primary");

      f.mgmtd.primary = "10.0.0.1:8000";
      assertThat(step.run(f.context).outcome()).isEqualTo(Outcome.DONE);
      assertThat(f.driver.calls).hasSize(1);
    }
  }

  @Nested
  class Meta {
    @Test
    void doneOnlyOnceHealthyAndItsAdminTokenExists() throws Exception {
      Fixture f = fixture();
      f.joinAll();
      MetaStep step = new MetaStep();
      assertThat(step.run(f.context).outcome()).isEqualTo(Outcome.PROGRESSING);
      assertThat(f.driver.deployed.get("node-1/meta").args())
          .contains("--mgmtd", "--admin-token-file")
          .doesNotContain("--chain-table");
      f.driver.makeHealthy(DaemonKind.META);
      assertThat(step.run(f.context).message()).contains("admin token");
      f.writeMetaToken();
      assertThat(step.run(f.context).outcome()).isEqualTo(Outcome.DONE);
    }
  }

  @Nested
  class StorageDaemons {
    @Test
    void registersEveryNodeInMgmtdOnceAndRunsADaemonOnEach() {
      Fixture f = fixture();
      f.joinAll();
      StorageDaemonsStep step = new StorageDaemonsStep();
      assertThat(step.run(f.context).outcome()).isEqualTo(Outcome.PROGRESSING);
      assertThat(f.mgmtd.nodes).containsOnlyKeys(1, 2, 3);
      assertThat(f.mgmtd.nodes.get(2).getAddress()).isEqualTo("10.0.0.2:9000");
      assertThat(f.mgmtd.nodes.get(2).getLabelsMap()).containsEntry("rack", "r2");
      assertThat(f.driver.deployed.get("node-3/storage").args())
          .containsSequence("--node-id", "3")
          .containsSequence("--mgmtd", "10.0.0.1:8000");

      f.driver.makeHealthy(DaemonKind.STORAGE);
      StepResult again = step.run(f.context);
      assertThat(again.outcome()).isEqualTo(Outcome.DONE);
      assertThat(f.mgmtd.adds).isEqualTo(3);
    }
  }

  @Nested
  class Targets {
    @Test
    void preparesDirectoriesAndCreatesEachMissingTargetOnce() {
      Fixture f = fixture();
      f.joinAll();
      TargetsStep step = new TargetsStep();

      assertThat(step.run(f.context).message()).isEqualTo("created 6 of 6 targets");
      assertThat(f.mgmtd.targets).containsKeys(1_000_000L, 1_000_001L, 3_000_001L);
      TargetInfo t = f.mgmtd.targets.get(2_000_001L);
      assertThat(t.getNodeId()).isEqualTo(2);
      assertThat(t.getDisk()).isZero();
      assertThat(t.getCapacityBytes()).isEqualTo((400L << 30) / 2);
      assertThat(f.driver.prepared).hasSize(3);

      assertThat(step.run(f.context).outcome()).isEqualTo(Outcome.DONE);
      assertThat(f.driver.prepared).hasSize(3);
    }

    @Test
    void leavesANodeThatAScaleOutGaveTargetsAsItIs() {
      Fixture f = fixture();
      f.joinAll();
      f.mgmtd.targets.put(
          3_000_001L,
          TargetInfo.newBuilder()
              .setTargetId(3_000_001L)
              .setNodeId(3)
              .setDisk(0)
              .setCapacityBytes(1L << 30)
              .build());

      assertThat(new TargetsStep().run(f.context).message()).isEqualTo("created 4 of 6 targets");
      assertThat(f.mgmtd.targets).doesNotContainKey(3_000_000L);
      assertThat(f.mgmtd.targets.get(3_000_001L).getCapacityBytes()).isEqualTo(1L << 30);
      assertThat(f.driver.prepared).hasSize(2);
    }
  }

  @Nested
  class ChainTable {
    @Test
    void generatesOneBalancedTableOnceAndNeverAgain() {
      Fixture f = fixture();
      f.joinAll();
      new TargetsStep().run(f.context);
      ChainTableStep step = new ChainTableStep();

      assertThat(step.run(f.context).message()).contains("2 chains of 3 replicas");
      assertThat(f.mgmtd.chains).hasSize(2);
      for (ChainInfo chain : f.mgmtd.chains.values()) {
        Set<Long> nodes = new HashSet<>();
        for (ChainMember m : chain.getMembersList()) {
          nodes.add(m.getTargetId() / 1_000_000);
        }
        assertThat(nodes).as("replicas on distinct nodes").hasSize(3);
      }
      Set<Long> heads = new HashSet<>();
      f.mgmtd.chains.values().forEach(c -> heads.add(c.getMembers(0).getTargetId() / 1_000_000));
      assertThat(heads).as("heads on different nodes").hasSize(2);

      assertThat(step.run(f.context).outcome()).isEqualTo(Outcome.DONE);
      assertThat(f.mgmtd.tables).hasSize(1);
      assertThat(f.layout.chainCount()).isEqualTo(2);
    }
  }

  @Nested
  class Tenants {
    @Test
    void createsTheSpecTenantsWithATokenKeptForTheLocalUserOnce() {
      Fixture f = fixture();
      TenantsStep step = new TenantsStep();
      assertThat(step.run(f.context).message()).contains("created tenant(s) default");
      assertThat(f.tenants.tenants.get("default").chainTables()).containsExactly(1);
      assertThat(f.tokens.secret("default")).contains("ctn1.1.secret");

      assertThat(step.run(f.context).message()).isEqualTo("1 tenant(s) exist");
      assertThat(f.tenants.tokenTenant).hasSize(1);
    }
  }

  @Nested
  class Gateway {
    @Test
    void isSkippedWithAReasonWhenTheDistributionHasNoGateway() {
      Fixture f = fixture();
      StepResult r = new GatewayStep().run(f.context);
      assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
      assertThat(r.message()).contains("catena daemon gateway");
    }

    @Test
    void runsOnTheFirstMetaNodeAgainstMgmtdAndMetaAndIsDoneWhenHealthy() {
      Fixture f = fixture();
      f.joinAll();
      f.driver.kinds.add(DaemonKind.GATEWAY);
      GatewayStep step = new GatewayStep();
      assertThat(step.run(f.context).outcome()).isEqualTo(Outcome.PROGRESSING);
      assertThat(f.driver.deployed.get("node-1/gateway").args())
          .containsSubsequence("daemon", "gateway")
          .contains("--mgmtd", "--meta", "--listen");
      f.driver.makeHealthy(DaemonKind.GATEWAY);
      StepResult done = step.run(f.context);
      assertThat(done.outcome()).isEqualTo(Outcome.DONE);
      assertThat(done.message()).startsWith("gateway serving on http://");
    }
  }

  @Test
  void stepsComeInTheDocumentedOrder() {
    assertThat(Reconciler.standardSteps().stream().map(ReconcileStep::name).toList())
        .isEqualTo(
            List.of(
                "agents-joined",
                "mgmtd",
                "meta",
                "storage-daemons",
                "targets",
                "chain-table",
                "tenants",
                "gateway"));
  }
}
