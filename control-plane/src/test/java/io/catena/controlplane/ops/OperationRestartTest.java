package io.catena.controlplane.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations survive a control-plane restart: a new manager over the same data directory lists
 * them; one that was running is FAILED as interrupted, a planned one can still be approved (and is
 * planned again first).
 */
class OperationRestartTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final List<CountDownLatch> gates = new ArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private volatile ExecutionPlan next;

  @AfterEach
  void close() throws Exception {
    gates.forEach(CountDownLatch::countDown);
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  /** A control plane's operations: store, audit and manager over {@code dir}. */
  private record ControlPlane(OperationStore store, AuditLog audit, OperationManager manager) {
    /** Stops as a crash would: nothing more reaches the files, then the threads end. */
    void crash() {
      store.close();
      audit.close();
      manager.close();
    }
  }

  private ControlPlane start() {
    OperationStore store = OperationStore.open(dir);
    AuditLog audit = new AuditLog(dir);
    OperationManager manager =
        new OperationManager(
            request -> next,
            audit,
            new EventJournal(100, Clock.systemUTC()),
            Clock.systemUTC(),
            store);
    open.add(store);
    open.add(audit);
    open.add(manager);
    return new ControlPlane(store, audit, manager);
  }

  private ExecStep gated(String name, CountDownLatch started) {
    CountDownLatch gate = new CountDownLatch(1);
    gates.add(gate);
    return step(
        name,
        100,
        () -> {
          started.countDown();
          try {
            gate.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
          }
        });
  }

  private static ExecStep step(String name, long bytes, Runnable body) {
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
  void aRunningOperationIsFailedAsInterruptedAndFinishedOnesStayAsTheyEnded() throws Exception {
    ControlPlane first = start();
    next = new ExecutionPlan("one move", List.of(step("move a", 10, () -> {})), 10, 5);
    OperationView done = first.manager().plan(new OperationRequest.Repair(7), "alice", true);
    assertThat(first.manager().await(done.id(), WAIT).state()).isEqualTo(OperationState.SUCCEEDED);

    CountDownLatch started = new CountDownLatch(1);
    next =
        new ExecutionPlan(
            "three moves",
            List.of(
                step("move b", 100, () -> {}),
                gated("move c", started),
                step("move d", 100, () -> {})),
            300,
            5);
    OperationView running =
        first.manager().plan(new OperationRequest.ScaleOut(2, 1, "migrate"), "bob", true);
    assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
    first.crash();

    ControlPlane second = start();
    OperationView interrupted = second.manager().get(running.id()).orElseThrow();
    assertThat(interrupted.state()).isEqualTo(OperationState.FAILED);
    assertThat(interrupted.message())
        .startsWith("control plane restarted during the operation")
        .contains("step 2 of 3")
        .contains("move c");
    assertThat(interrupted.steps())
        .extracting(OperationView.Step::state)
        .containsExactly(StepState.DONE, StepState.FAILED, StepState.CANCELLED);
    assertThat(interrupted.bytesMoved()).isEqualTo(100);
    assertThat(interrupted.requestedBy()).isEqualTo("bob");
    assertThat(interrupted.kind()).isEqualTo(OperationKind.SCALE_OUT);
    assertThatThrownBy(() -> second.manager().approve(running.id(), "bob"))
        .isInstanceOf(IllegalStateException.class);

    OperationView before = second.manager().get(done.id()).orElseThrow();
    assertThat(before.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(before.summary()).isEqualTo("one move");
    assertThat(before.progress()).isEqualTo(1.0);

    assertThat(second.audit().recent(0))
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("restart");
              assertThat(e.outcome()).isEqualTo("FAILED");
              assertThat(e.target()).startsWith(running.id() + " scale-out");
            });

    next = new ExecutionPlan("later", List.of(), 0, 0);
    OperationView later = second.manager().plan(new OperationRequest.Repair(9), "carol", false);
    assertThat(later.id()).as("ids are not reused").isNotIn(done.id(), running.id());
    assertThat(second.manager().list(false)).hasSize(3);
  }

  @Test
  void aPlannedOperationStaysApprovableAndIsPlannedAgainBeforeItRuns() throws Exception {
    ControlPlane first = start();
    AtomicInteger firstRuns = new AtomicInteger();
    next =
        new ExecutionPlan(
            "drain node 3", List.of(step("move x", 50, firstRuns::incrementAndGet)), 50, 5);
    OperationView planned = first.manager().plan(new OperationRequest.Drain(3, true), "dan", false);
    first.crash();

    ControlPlane second = start();
    OperationView restored = second.manager().get(planned.id()).orElseThrow();
    assertThat(restored.state()).isEqualTo(OperationState.PLANNED);
    assertThat(restored.steps())
        .extracting(OperationView.Step::description)
        .containsExactly("move x");

    AtomicInteger secondRuns = new AtomicInteger();
    next =
        new ExecutionPlan(
            "drain node 3", List.of(step("move x", 50, secondRuns::incrementAndGet)), 50, 5);
    second.manager().approve(planned.id(), "erin");
    OperationView done = second.manager().await(planned.id(), WAIT);
    assertThat(done.state()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(secondRuns.get()).as("the new plan's step ran").isEqualTo(1);
    assertThat(firstRuns.get()).isZero();
  }

  @Test
  void aPlannedOperationWhosePlanChangedMustBeApprovedAgainAfterReview() throws Exception {
    ControlPlane first = start();
    next = new ExecutionPlan("repair", List.of(step("move to node 4", 10, () -> {})), 10, 5);
    OperationView planned = first.manager().plan(new OperationRequest.Repair(11), "fay", false);
    first.crash();

    ControlPlane second = start();
    AtomicInteger runs = new AtomicInteger();
    next =
        new ExecutionPlan(
            "repair", List.of(step("move to node 5", 10, runs::incrementAndGet)), 10, 5);
    assertThatThrownBy(() -> second.manager().approve(planned.id(), "fay"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("review it and approve again");
    OperationView replanned = second.manager().get(planned.id()).orElseThrow();
    assertThat(replanned.state()).isEqualTo(OperationState.PLANNED);
    assertThat(replanned.steps())
        .extracting(OperationView.Step::description)
        .containsExactly("move to node 5");
    assertThat(runs.get()).isZero();

    second.manager().approve(planned.id(), "fay");
    assertThat(second.manager().await(planned.id(), WAIT).state())
        .isEqualTo(OperationState.SUCCEEDED);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void opensPastATornLineAndKeepsOneLinePerOperation() throws Exception {
    ControlPlane first = start();
    next = new ExecutionPlan("a", List.of(step("s", 1, () -> {})), 1, 1);
    OperationView a = first.manager().plan(new OperationRequest.Repair(1), "x", true);
    first.manager().await(a.id(), WAIT);
    OperationView b =
        first.manager().plan(new OperationRequest.RollingRestart(List.of("n1", "n2")), "x", false);
    first.crash();
    Files.writeString(
        dir.resolve(OperationStore.FILE_NAME),
        "{\"id\":\"op-9\",\"requ",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    ControlPlane second = start();
    assertThat(second.manager().list(false))
        .extracting(OperationView::id)
        .containsExactly(a.id(), b.id());
    assertThat(Files.readAllLines(dir.resolve(OperationStore.FILE_NAME))).hasSize(2);
    assertThat(second.manager().get(b.id()).orElseThrow().state())
        .isEqualTo(OperationState.PLANNED);
  }

  @Test
  void everyRequestKindRoundTripsThroughItsStoredForm() {
    List<OperationRequest> all =
        List.of(
            new OperationRequest.ScaleOut(2, 1, "new-chains"),
            new OperationRequest.Repair(20100),
            new OperationRequest.Drain(4, true),
            new OperationRequest.RollingRestart(List.of("node-1", "node-3")),
            new OperationRequest.Rebalance(LoadWindow.FIFTEEN_MINUTES),
            new OperationRequest.SelfHeal(30200));
    for (OperationRequest r : all) {
      assertThat(OperationRequestJson.fromJson(OperationRequestJson.toJson(r))).isEqualTo(r);
    }
  }
}
