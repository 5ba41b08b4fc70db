package io.catena.controlplane.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.status.ClusterStatus;
import io.catena.controlplane.status.Condition;
import io.catena.protocol.mgmtd.ChainInfo;
import io.catena.protocol.mgmtd.PublicState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {

  @TempDir Path root;

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T08:00:00Z"), ZoneOffset.UTC);

  @Test
  void aPassStopsAtTheFirstUnfinishedStepAndSaysWhatItWaitsFor() {
    Fixture f = new Fixture(root, 3);
    f.driver.join("node-1");
    Reconciler r = new Reconciler(f.context, Reconciler.standardSteps(), clock);

    Reconciler.Pass pass = r.pass();

    ClusterStatus s = pass.status();
    assertThat(s.isReady()).isFalse();
    assertThat(s.steps().getFirst().outcome()).isEqualTo("WAITING");
    assertThat(s.steps().get(1).message()).isEqualTo("after agents-joined");
    Condition progressing = s.condition(Condition.PROGRESSING).orElseThrow();
    assertThat(progressing.isTrue()).isTrue();
    assertThat(progressing.reason()).isEqualTo("WaitingForAgentsJoined");
    assertThat(progressing.message()).contains("node-2, node-3");
    assertThat(pass.requeueAfter()).isEqualTo(Reconciler.BUSY_REQUEUE);
    assertThat(f.driver.calls).as("nothing deployed before every agent joined").isEmpty();
  }

  @Test
  void convergesToReadyAndThenChangesNothing() throws Exception {
    Fixture f = new Fixture(root, 3);
    f.joinAll();
    Reconciler r = new Reconciler(f.context, Reconciler.standardSteps(), clock);

    Reconciler.Pass pass = f.converge(r, 20);

    ClusterStatus s = pass.status();
    assertThat(s.isReady()).as("%s", s.steps()).isTrue();
    assertThat(s.condition(Condition.DEGRADED).orElseThrow().isTrue()).isFalse();
    assertThat(s.observedGeneration()).isEqualTo(3);
    assertThat(s.chains().byState()).containsEntry("healthy", 2);
    assertThat(s.targets().byState()).containsEntry("SERVING", 6);
    assertThat(s.tenants()).singleElement().matches(ClusterStatus.TenantStatus::created);
    assertThat(s.mgmtd().primary()).isEqualTo("10.0.0.1:8000");
    assertThat(pass.requeueAfter()).isEqualTo(Reconciler.READY_REQUEUE);

    int calls = f.driver.calls.size();
    int tables = f.mgmtd.tables.size();
    assertThat(r.pass().status().isReady()).isTrue();
    assertThat(f.driver.calls).hasSize(calls);
    assertThat(f.mgmtd.tables).hasSize(tables);
  }

  @Test
  void aChainMissingAServingReplicaMakesTheClusterDegradedNotReady() throws Exception {
    Fixture f = new Fixture(root, 3);
    f.joinAll();
    Reconciler r = new Reconciler(f.context, Reconciler.standardSteps(), clock);
    f.converge(r, 20);

    ChainInfo chain = f.mgmtd.chains.get(1);
    f.mgmtd.chains.put(
        1,
        chain.toBuilder()
            .setMembers(2, chain.getMembers(2).toBuilder().setPublicState(PublicState.OFFLINE))
            .build());
    ClusterStatus s = r.pass().status();

    assertThat(s.isReady()).isFalse();
    Condition degraded = s.condition(Condition.DEGRADED).orElseThrow();
    assertThat(degraded.isTrue()).isTrue();
    assertThat(degraded.message()).contains("1 of 2 chains not fully serving");
    assertThat(s.chains().byState()).containsEntry("degraded", 1);
  }

  @Test
  void aStepThatThrowsIsReportedFailedAndTheNextPassRetries() throws Exception {
    Fixture g = new Fixture(root, 3);
    g.joinAll();
    ReconcileStep throwing =
        new ReconcileStep() {
          int runs;

          @Override
          public String name() {
            return "flaky";
          }

          @Override
          public StepResult run(ReconcileContext c) {
            if (runs++ == 0) {
              throw new IllegalStateException("agent unreachable");
            }
            return StepResult.done("ok");
          }
        };
    Reconciler r = new Reconciler(g.context, java.util.List.of(throwing), clock);

    ClusterStatus first = r.pass().status();
    assertThat(first.steps().getFirst().outcome()).isEqualTo("FAILED");
    assertThat(first.condition(Condition.DEGRADED).orElseThrow().reason()).isEqualTo("StepFailed");
    assertThat(first.condition(Condition.PROGRESSING).orElseThrow().isTrue()).isFalse();

    assertThat(r.pass().status().steps().getFirst().outcome()).isEqualTo("DONE");
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusStays() {
    Condition before =
        Condition.of(Condition.READY, false, "A", "a", Instant.parse("2026-01-01T00:00:00Z"));
    Condition same =
        Condition.of(Condition.READY, false, "B", "b", Instant.parse("2026-01-02T00:00:00Z"));
    Condition flipped =
        Condition.of(Condition.READY, true, "C", "c", Instant.parse("2026-01-03T00:00:00Z"));
    assertThat(same.since(before).lastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(flipped.since(before).lastTransitionTime()).isEqualTo("2026-01-03T00:00:00Z");
  }

  @Test
  void reasonsAreCamelCaseStepNames() {
    assertThat(Reconciler.reason("storage-daemons")).isEqualTo("WaitingForStorageDaemons");
  }
}
