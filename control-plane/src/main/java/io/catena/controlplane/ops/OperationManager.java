package io.catena.controlplane.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans, approves, runs, cancels and records operations. A plan never changes the cluster; an
 * approved operation runs its steps in order on a background thread, reports progress (bytes moved,
 * ETA) as events, and stops between steps when cancelled. Every state change is an event and an
 * audit entry.
 *
 * <p>Operations that reshape the cluster (scale-out, drain, rolling restart, rebalance) run alone;
 * repairs (by hand or self-healing) run side by side, each on its own chain, but not during one of
 * those.
 *
 * <p>With an {@link OperationStore}, every change is stored. On start-up the stored operations come
 * back: one that was RUNNING is marked FAILED ("control plane restarted during the operation"); a
 * PLANNED one stays approvable and is planned again when approved (docs/operations.md).
 */
public final class OperationManager implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OperationManager.class);
  private static final Set<OperationKind> REPAIRS =
      Set.of(OperationKind.REPAIR, OperationKind.SELF_HEAL);
  private static final long PROGRESS_EVENT_INTERVAL_MS = 1000;
  static final String RESTARTED = "control plane restarted during the operation";

  private final OperationPlanner planner;
  private final AuditLog audit;
  private final EventJournal events;
  private final Clock clock;
  private final OperationStore store;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Operation> operations = new LinkedHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final List<java.util.function.Consumer<OperationRequest>> startListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<OperationView>> finishListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Operations in memory only: a restart forgets them (tests). */
  public OperationManager(
      OperationPlanner planner, AuditLog audit, EventJournal events, Clock clock) {
    this(planner, audit, events, clock, null);
  }

  /** Operations kept in {@code store} (null: memory only); what it holds comes back now. */
  public OperationManager(
      OperationPlanner planner,
      AuditLog audit,
      EventJournal events,
      Clock clock,
      OperationStore store) {
    this.planner = planner;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
    this.store = store;
    if (store != null) {
      restore(store.loaded());
    }
  }

  private void restore(List<OperationStore.Snapshot> stored) {
    long maxId = 0;
    for (OperationStore.Snapshot s : stored) {
      OperationRequest request;
      try {
        request = OperationRequestJson.fromJson(s.request());
      } catch (IllegalArgumentException e) {
        log.warn("skipping stored operation {}: {}", s.id(), e.getMessage());
        continue;
      }
      Operation op = Operation.restore(s, request);
      synchronized (operations) {
        operations.put(op.id, op);
      }
      maxId = Math.max(maxId, idNumber(op.id));
      if (op.state == OperationState.RUNNING) {
        interrupted(op);
      }
    }
    nextId.set(maxId + 1);
  }

  private static long idNumber(String id) {
    try {
      return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** A RUNNING operation read back after a restart: it stops here, FAILED, never resumed. */
  private void interrupted(Operation op) {
    String message;
    synchronized (op) {
      int running = -1;
      for (int i = 0; i < op.stepStates.length; i++) {
        if (op.stepStates[i] == StepState.RUNNING) {
          op.stepStates[i] = StepState.FAILED;
          running = i;
        } else if (op.stepStates[i] == StepState.PENDING) {
          op.stepStates[i] = StepState.CANCELLED;
        }
      }
      message =
          RESTARTED
              + (running < 0
                  ? ""
                  : " (step "
                      + (running + 1)
                      + " of "
                      + op.stepStates.length
                      + " was under way: "
                      + op.plan.steps().get(running).description()
                      + ")")
              + "; plan it again: a new plan starts from the cluster as it is now";
      op.state = OperationState.FAILED;
      op.message = message;
      op.updatedAtMs = clock.millis();
    }
    record("control-plane", "restart", op, OperationState.FAILED.name(), message);
  }

  public EventJournal events() {
    return events;
  }

  public AuditLog audit() {
    return audit;
  }

  /**
   * Called with each approved operation's request just before it starts running (on the approving
   * thread), e.g. to cordon the node a drain empties before any replica moves.
   */
  public void beforeRun(java.util.function.Consumer<OperationRequest> listener) {
    startListeners.add(listener);
  }

  /** Called with each operation that reaches a final state. */
  public void onFinish(java.util.function.Consumer<OperationView> listener) {
    finishListeners.add(listener);
  }

  /**
   * Plans an operation: PLANNED (or RUNNING when {@code autoApprove}), or REFUSED with the reason.
   *
   * @throws IllegalArgumentException for bad input; nothing is recorded
   */
  public OperationView plan(OperationRequest request, String by, boolean autoApprove) {
    String id = "op-" + nextId.getAndIncrement();
    long now = clock.millis();
    Operation op;
    try {
      ExecutionPlan plan = planner.plan(request);
      op = new Operation(id, request, plan, by, now, OperationState.PLANNED, "");
    } catch (OperationRefusedException e) {
      ExecutionPlan none =
          new ExecutionPlan(request.kind().id() + " " + request.subject(), List.of(), 0, 0);
      op = new Operation(id, request, none, by, now, OperationState.REFUSED, e.getMessage());
    }
    synchronized (operations) {
      operations.put(id, op);
    }
    OperationView view = op.view(now);
    record(
        by,
        "plan " + request.kind().id(),
        op,
        view.state().name(),
        view.state() == OperationState.REFUSED ? view.message() : view.summary());
    if (autoApprove && view.state() == OperationState.PLANNED) {
      try {
        return approve(id, by);
      } catch (IllegalStateException e) {
        synchronized (op) {
          op.message = "not started: " + e.getMessage();
        }
        return op.view(clock.millis());
      }
    }
    return view;
  }

  /**
   * Starts a PLANNED operation.
   *
   * @throws IllegalStateException when it is not PLANNED, or a conflicting operation runs
   */
  public OperationView approve(String id, String by) {
    Operation found = require(id);
    Operation op =
        found.restored && found.state == OperationState.PLANNED ? planAgain(found, by) : found;
    synchronized (operations) {
      synchronized (op) {
        if (op.state != OperationState.PLANNED) {
          throw new IllegalStateException(
              id + " is " + op.state + ": only a PLANNED operation can be approved");
        }
        Optional<Operation> conflict = conflictWith(op);
        if (conflict.isPresent()) {
          throw new IllegalStateException(
              id
                  + " cannot start while "
                  + conflict.get().id
                  + " ("
                  + conflict.get().request.kind().id()
                  + ") runs; approve it again when that ends");
        }
        op.state = OperationState.RUNNING;
        op.startedAtMs = clock.millis();
        op.updatedAtMs = op.startedAtMs;
      }
    }
    OperationView view = op.view(clock.millis());
    record(by, "approve", op, view.state().name(), view.summary());
    for (var listener : startListeners) {
      try {
        listener.accept(op.request);
      } catch (RuntimeException e) {
        log.warn("a start listener of {} failed: {}", id, e.toString());
      }
    }
    executor.execute(() -> execute(op));
    return view;
  }

  /**
   * Cancels: a PLANNED operation at once, a RUNNING one before its next step.
   *
   * @throws IllegalStateException when it already ended
   */
  public OperationView cancel(String id, String by) {
    Operation op = require(id);
    boolean now;
    synchronized (op) {
      if (op.state.isFinal()) {
        throw new IllegalStateException(id + " already ended: " + op.state);
      }
      op.cancelRequested = true;
      now = op.state == OperationState.PLANNED;
      if (now) {
        op.state = OperationState.CANCELLED;
        op.message = "cancelled by " + by + " before it started";
        java.util.Arrays.fill(op.stepStates, StepState.CANCELLED);
        op.updatedAtMs = clock.millis();
        persist(op);
        op.finishing = true;
      } else {
        op.message = "cancel requested by " + by + ": stopping after the current step";
      }
    }
    OperationView view = op.view(clock.millis());
    if (now) {
      announceEnd(op, view, by, "cancel");
    } else {
      record(by, "cancel", op, "CANCEL_REQUESTED", view.message());
    }
    return view;
  }

  /**
   * A PLANNED operation read back after a restart, planned again from its request so that it has
   * executable steps. The same steps: it is approved as it stands. Other steps (the cluster changed
   * in between): it stays PLANNED with the new plan, and this approval fails so that the operator
   * looks at the new plan first. Refused now: it becomes REFUSED.
   */
  private Operation planAgain(Operation old, String by) {
    ExecutionPlan fresh;
    try {
      fresh = planner.plan(old.request);
    } catch (OperationRefusedException e) {
      synchronized (old) {
        old.state = OperationState.REFUSED;
        old.message = "planned again after a control-plane restart and refused: " + e.getMessage();
        old.updatedAtMs = clock.millis();
      }
      record(by, "approve", old, OperationState.REFUSED.name(), old.message);
      throw new IllegalStateException(old.id + " " + old.message);
    }
    boolean same = sameSteps(old.plan, fresh);
    Operation replanned =
        new Operation(
            old.id,
            old.request,
            fresh,
            old.requestedBy,
            old.createdAtMs,
            OperationState.PLANNED,
            same
                ? ""
                : "planned again after a control-plane restart: the cluster changed, so did the"
                    + " plan; review it and approve again");
    synchronized (operations) {
      if (operations.get(old.id) != old) {
        return require(old.id);
      }
      operations.put(old.id, replanned);
    }
    if (!same) {
      record(by, "replan", replanned, OperationState.PLANNED.name(), replanned.message);
      throw new IllegalStateException(old.id + " " + replanned.message);
    }
    return replanned;
  }

  private static boolean sameSteps(ExecutionPlan a, ExecutionPlan b) {
    if (a.steps().size() != b.steps().size()) {
      return false;
    }
    for (int i = 0; i < a.steps().size(); i++) {
      ExecStep x = a.steps().get(i);
      ExecStep y = b.steps().get(i);
      if (!x.description().equals(y.description()) || x.bytes() != y.bytes()) {
        return false;
      }
    }
    return true;
  }

  public Optional<OperationView> get(String id) {
    Operation op;
    synchronized (operations) {
      op = operations.get(id);
    }
    return Optional.ofNullable(op).map(o -> o.view(clock.millis()));
  }

  /** Whether an operation that must run alone (not a repair) is running. */
  public boolean exclusiveRunning() {
    synchronized (operations) {
      return operations.values().stream()
          .anyMatch(o -> o.state == OperationState.RUNNING && !REPAIRS.contains(o.request.kind()));
    }
  }

  public List<OperationView> list(boolean activeOnly) {
    List<Operation> all;
    synchronized (operations) {
      all = new ArrayList<>(operations.values());
    }
    long now = clock.millis();
    return all.stream()
        .map(o -> o.view(now))
        .filter(v -> !activeOnly || !v.state().isFinal())
        .toList();
  }

  /** Waits until the operation ends (tests, the CLI's --wait); bounded by {@code timeout}. */
  public OperationView await(String id, Duration timeout) throws InterruptedException {
    Operation op = require(id);
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (op) {
      while (!op.state.isFinal() || op.finishing) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          break;
        }
        op.wait(Math.min(left, 500));
      }
    }
    return op.view(clock.millis());
  }

  private Operation require(String id) {
    synchronized (operations) {
      Operation op = operations.get(id);
      if (op == null) {
        throw new java.util.NoSuchElementException("no operation " + id);
      }
      return op;
    }
  }

  private Optional<Operation> conflictWith(Operation op) {
    boolean repair = REPAIRS.contains(op.request.kind());
    for (Operation other : operations.values()) {
      if (other == op || other.state != OperationState.RUNNING) {
        continue;
      }
      boolean otherRepair = REPAIRS.contains(other.request.kind());
      if (!(repair && otherRepair)) {
        return Optional.of(other);
      }
    }
    return Optional.empty();
  }

  private void execute(Operation op) {
    List<ExecStep> steps = op.plan.steps();
    for (int i = 0; i < steps.size(); i++) {
      ExecStep step = steps.get(i);
      synchronized (op) {
        if (op.cancelRequested) {
          for (int j = i; j < steps.size(); j++) {
            op.stepStates[j] = StepState.CANCELLED;
          }
          end(
              op,
              OperationState.CANCELLED,
              "cancelled after " + i + " of " + steps.size() + " steps");
          return;
        }
        op.stepStates[i] = StepState.RUNNING;
        op.currentStepBytes = 0;
        op.updatedAtMs = clock.millis();
      }
      persist(op);
      publish(op, "step " + (i + 1) + "/" + steps.size() + ": " + step.description());
      try {
        step.run(contextFor(op));
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        log.warn("{} step {} failed", op.id, i + 1, e);
        synchronized (op) {
          op.stepStates[i] = StepState.FAILED;
          for (int j = i + 1; j < steps.size(); j++) {
            op.stepStates[j] = StepState.CANCELLED;
          }
        }
        end(
            op,
            OperationState.FAILED,
            "step "
                + (i + 1)
                + " ("
                + step.description()
                + ") failed: "
                + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return;
      }
      synchronized (op) {
        op.stepStates[i] = StepState.DONE;
        op.bytesDone += step.bytes();
        op.currentStepBytes = 0;
        op.stepsDone++;
        op.updatedAtMs = clock.millis();
      }
      persist(op);
    }
    end(op, OperationState.SUCCEEDED, steps.isEmpty() ? "nothing to do" : "done");
  }

  private StepContext contextFor(Operation op) {
    return new StepContext() {
      @Override
      public void progress(long bytesDone) {
        boolean due;
        synchronized (op) {
          op.currentStepBytes = Math.max(op.currentStepBytes, bytesDone);
          long now = clock.millis();
          op.updatedAtMs = now;
          due = now - op.lastProgressEventMs >= PROGRESS_EVENT_INTERVAL_MS;
          if (due) {
            op.lastProgressEventMs = now;
          }
        }
        if (due) {
          publish(op, "progress");
        }
      }

      @Override
      public void note(String message) {
        synchronized (op) {
          if (!op.cancelRequested) {
            op.message = message;
          }
          op.updatedAtMs = clock.millis();
        }
        publish(op, message);
      }
    };
  }

  /**
   * Ends an operation. The final state is stored before anyone waiting in {@link #await} sees it:
   * an operation reported done must not read back as interrupted after a restart.
   */
  private void end(Operation op, OperationState state, String message) {
    synchronized (op) {
      op.state = state;
      op.message = message;
      op.updatedAtMs = clock.millis();
      persist(op);
      op.finishing = true;
    }
    announceEnd(op, op.view(clock.millis()), op.requestedBy, "finish");
  }

  /**
   * Audits a stored end and tells the listeners, then lets {@link #await} return it: whoever it
   * returns to finds the end in the audit log and the event journal too.
   */
  private void announceEnd(Operation op, OperationView view, String who, String action) {
    try {
      audit(who, action, op, view.state().name(), view.message());
      finished(view);
    } finally {
      synchronized (op) {
        op.finishing = false;
        op.notifyAll();
      }
    }
  }

  private void finished(OperationView view) {
    for (var listener : finishListeners) {
      try {
        listener.accept(view);
      } catch (RuntimeException e) {
        log.warn("an operation listener failed", e);
      }
    }
  }

  private void publish(Operation op, String message) {
    OperationView view = op.view(clock.millis());
    OpsEvent.Severity severity =
        switch (view.state()) {
          case FAILED -> OpsEvent.Severity.ERROR;
          case REFUSED, CANCELLED -> OpsEvent.Severity.WARNING;
          default -> OpsEvent.Severity.INFO;
        };
    events.publish(OpsEvent.Kind.OPERATION, severity, op.id + ": " + message, view, null);
  }

  private void persist(Operation op) {
    if (store == null) {
      return;
    }
    try {
      store.save(op.snapshot());
    } catch (RuntimeException e) {
      log.error("cannot store operation {}", op.id, e);
      events.publish(
          OpsEvent.Kind.ALERT,
          OpsEvent.Severity.ERROR,
          "operation store: " + e.getMessage(),
          null,
          null);
    }
  }

  /** Stores the operation as it now is, then audits {@code action}. */
  private void record(String who, String action, Operation op, String outcome, String detail) {
    persist(op);
    audit(who, action, op, outcome, detail);
  }

  private void audit(String who, String action, Operation op, String outcome, String detail) {
    AuditEntry entry =
        new AuditEntry(
            clock.millis(),
            who,
            action,
            op.id + " " + op.request.kind().id() + " " + op.request.subject(),
            outcome,
            detail);
    try {
      audit.append(entry);
    } catch (RuntimeException e) {
      log.error("cannot write the audit log", e);
      events.publish(
          OpsEvent.Kind.ALERT, OpsEvent.Severity.ERROR, "audit log: " + e.getMessage(), null, null);
    }
    publish(op, action + ": " + outcome);
    events.publish(
        OpsEvent.Kind.AUDIT,
        OpsEvent.Severity.INFO,
        who + " " + action + " " + entry.target(),
        null,
        entry);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
