package io.catena.controlplane.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan, approve, progress, cancel, failure, refusal, events and audit, with scripted steps. */
class OperationManagerTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final List<CountDownLatch> gates = new ArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private volatile ExecutionPlan next;
  private volatile RuntimeException refuse;

  @AfterEach
  void close() throws Exception {
    gates.forEach(g -> g.countDown());
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private OperationManager manager() {
    AuditLog audit = new AuditLog(dir);
    open.add(audit);
    OperationManager m =
        new OperationManager(
            request -> {
              if (refuse != null) {
                throw refuse;
              }
              return next;
            },
            audit,
            new EventJournal(100, Clock.systemUTC()),
            Clock.systemUTC());
    open.add(m);
    return m;
  }

  /** A step that copies {@code bytes}, reports half of them, then waits for its gate. */
  private ExecStep gated(String name, long bytes, CountDownLatch started) {
    CountDownLatch gate = new CountDownLatch(1);
    gates.add(gate);
    return new ExecStep() {
      @Override
      public String description() {
        return name;
      }

      @Override
      public long bytes() {
        return bytes;
      }

      @Override
      public void run(StepContext context) throws Exception {
        context.progress(bytes / 2);
        started.countDown();
        assertThat(gate.await(60, TimeUnit.SECONDS)).isTrue();
      }
    };
  }

  private static ExecStep instant(String name, long bytes, Runnable body) {
    return new ExecStep() {
      @Override
      public String description() {
        return name;
      }

      @Override
      public long bytes() {
        return bytes;
      }

      @Override
      public void run(StepContext context) {
        body.run();
      }
    };
  }

  @Test
  void aPlannedOperationWaitsForApprovalThenRunsWithProgressToTheEnd() throws Exception {
    OperationManager m = manager();
    CountDownLatch firstStarted = new CountDownLatch(1);
    next =
        new ExecutionPlan(
            "two moves",
            List.of(gated("move a", 1000, firstStarted), instant("move b", 3000, () -> {})),
            4000,
            20);
    OperationView planned = m.plan(new OperationRequest.Repair(5), "alice", false);
    assertThat(planned.state()).isEqualTo(OperationState.PLANNED);
    assertThat(planned.bytesToMove()).isEqualTo(4000);
    assertThat(planned.etaMs()).isEqualTo(20);
    assertThat(planned.steps())
        .extracting(OperationView.Step::state)
        .containsOnly(StepState.PENDING);

    m.approve(planned.id(), "bob");
    assertThat(firstStarted.await(60, TimeUnit.SECONDS)).isTrue();
    OperationView running = m.get(planned.id()).orElseThrow();
    assertThat(running.state()).isEqualTo(OperationState.RUNNING);
    assertThat(running.bytesMoved()).isEqualTo(500);
    assertThat(running.progress()).isEqualTo(500 / 4000.0);
    assertThat(running.etaMs()).isGreaterThanOrEqualTo(0);
    assertThat(running.steps().get(0).state()).isEqualTo(StepState.RUNNING);
    assertThatThrownBy(() -> m.approve(planned.id(), "bob"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only a PLANNED operation");

    gates.getFirst().countDown();
    OperationView done = m.await(planned.id(), WAIT);
    assertThat(done.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(done.progress()).isEqualTo(1.0);
    assertThat(done.bytesMoved()).isEqualTo(4000);
    assertThat(done.steps()).extracting(OperationView.Step::state).containsOnly(StepState.DONE);

    // Audit: who, what, when, outcome — persisted as JSON lines and read back.
    List<AuditEntry> audit = new AuditLog(dir).recent(0);
    assertThat(audit)
        .extracting(AuditEntry::who, AuditEntry::action, AuditEntry::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", "plan repair", "PLANNED"),
            org.assertj.core.groups.Tuple.tuple("bob", "approve", "RUNNING"),
            org.assertj.core.groups.Tuple.tuple("alice", "finish", "SUCCEEDED"));
    assertThat(audit.getFirst().target()).contains(planned.id()).contains("target 5");
    assertThat(Files.readAllLines(dir.resolve(AuditLog.FILE_NAME))).hasSize(3);
  }

  @Test
  void cancellingStopsBetweenStepsAndLeavesTheRestUndone() throws Exception {
    OperationManager m = manager();
    CountDownLatch started = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    next =
        new ExecutionPlan(
            "three steps",
            List.of(
                gated("one", 0, started),
                instant("two", 0, () -> ran.add("two")),
                instant("three", 0, () -> ran.add("three"))),
            0,
            0);
    OperationView op = m.plan(new OperationRequest.Drain(2, false), "carol", true);
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
    OperationView cancelling = m.cancel(op.id(), "dave");
    assertThat(cancelling.state()).isEqualTo(OperationState.RUNNING);
    assertThat(cancelling.message()).contains("cancel requested by dave");
    gates.getFirst().countDown();
    OperationView done = m.await(op.id(), WAIT);
    assertThat(done.state()).isEqualTo(OperationState.CANCELLED);
    assertThat(done.steps())
        .extracting(OperationView.Step::state)
        .containsExactly(StepState.DONE, StepState.CANCELLED, StepState.CANCELLED);
    assertThat(ran).isEmpty();
    assertThatThrownBy(() -> m.cancel(op.id(), "dave")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFailingStepFailsTheOperationWithItsReason() throws Exception {
    OperationManager m = manager();
    next =
        new ExecutionPlan(
            "fails",
            List.of(
                instant(
                    "boom",
                    0,
                    () -> {
                      throw new IllegalStateException("disk on fire");
                    }),
                instant("after", 0, () -> {})),
            0,
            0);
    OperationView op = m.plan(new OperationRequest.Repair(9), "erin", true);
    OperationView done = m.await(op.id(), WAIT);
    assertThat(done.state()).isEqualTo(OperationState.FAILED);
    assertThat(done.message()).contains("step 1 (boom) failed: disk on fire");
    assertThat(done.steps())
        .extracting(OperationView.Step::state)
        .containsExactly(StepState.FAILED, StepState.CANCELLED);
  }

  @Test
  void aRefusedPlanIsRecordedWithItsReasonAndNeverRuns() {
    OperationManager m = manager();
    refuse = new OperationRefusedException("chain-3 would drop below R-1");
    OperationView op = m.plan(new OperationRequest.Drain(1, false), "frank", true);
    assertThat(op.state()).isEqualTo(OperationState.REFUSED);
    assertThat(op.message()).isEqualTo("chain-3 would drop below R-1");
    assertThat(m.audit().recent(1).getFirst().outcome()).isEqualTo("REFUSED");
    assertThatThrownBy(() -> m.approve(op.id(), "frank")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void badInputIsAnErrorAndRecordsNothing() {
    OperationManager m = manager();
    refuse = new IllegalArgumentException("target-7 does not exist");
    assertThatThrownBy(() -> m.plan(new OperationRequest.Repair(7), "gina", true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(m.list(false)).isEmpty();
    assertThat(m.audit().recent(0)).isEmpty();
  }

  @Test
  void reshapingOperationsRunAlone() throws Exception {
    OperationManager m = manager();
    CountDownLatch started = new CountDownLatch(1);
    next = new ExecutionPlan("long", List.of(gated("long", 0, started)), 0, 0);
    OperationView first = m.plan(new OperationRequest.ScaleOut(1, 0, "auto"), "h", true);
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
    next = new ExecutionPlan("other", List.of(instant("x", 0, () -> {})), 0, 0);
    OperationView second = m.plan(new OperationRequest.Rebalance(null), "h", true);
    assertThat(second.state()).isEqualTo(OperationState.PLANNED);
    assertThat(second.message()).contains(first.id());
    gates.getFirst().countDown();
    assertThat(m.await(first.id(), WAIT).state()).isEqualTo(OperationState.SUCCEEDED);
    m.approve(second.id(), "h");
    assertThat(m.await(second.id(), WAIT).state()).isEqualTo(OperationState.SUCCEEDED);
  }

  @Test
  void awaitReturnsAnOperationOnlyOnceItsEndIsAuditedAndToldToListeners() throws Exception {
    OperationManager m = manager();
    java.util.concurrent.atomic.AtomicBoolean told =
        new java.util.concurrent.atomic.AtomicBoolean();
    m.onFinish(
        view -> {
          try {
            Thread.sleep(300); // a slow listener widens the window between the stored end and await
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          told.set(true);
        });
    next = new ExecutionPlan("quick", List.of(instant("x", 0, () -> {})), 0, 0);
    OperationView op = m.plan(new OperationRequest.Repair(5), "jo", true);
    assertThat(m.await(op.id(), WAIT).state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(told).isTrue();
    assertThat(m.audit().recent(0))
        .anyMatch(e -> e.action().equals("finish") && e.target().startsWith(op.id()));
  }

  @Test
  void aNewWatcherReplaysRecentEventsThenGetsNewOnes() throws Exception {
    OperationManager m = manager();
    next = new ExecutionPlan("quick", List.of(instant("x", 0, () -> {})), 0, 0);
    OperationView op = m.plan(new OperationRequest.Repair(3), "ivy", true);
    m.await(op.id(), WAIT);
    List<OpsEvent> seen = new CopyOnWriteArrayList<>();
    try (AutoCloseable w = m.events().watch(3, seen::add)) {
      assertThat(seen).hasSize(3);
      long last = seen.getLast().sequence();
      m.plan(new OperationRequest.Repair(4), "ivy", false);
      assertThat(seen.size()).isGreaterThan(3);
      assertThat(seen.get(3).sequence()).isEqualTo(last + 1);
      assertThat(seen)
          .anyMatch(e -> e.kind() == OpsEvent.Kind.AUDIT && e.audit().who().equals("ivy"));
    }
  }
}
