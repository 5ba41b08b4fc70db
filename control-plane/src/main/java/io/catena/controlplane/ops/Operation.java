package io.catena.controlplane.ops;

import java.util.ArrayList;
import java.util.List;

/** One operation's mutable state, owned by {@link OperationManager} (which synchronises on it). */
final class Operation {

  final String id;
  final OperationRequest request;
  final ExecutionPlan plan;
  final String requestedBy;
  final long createdAtMs;
  final StepState[] stepStates;
  volatile OperationState state;
  String message;
  long updatedAtMs;
  long startedAtMs;
  long bytesDone;
  long currentStepBytes;
  int stepsDone;
  volatile boolean cancelRequested;

  /**
   * Final state stored but the end not yet audited and told to listeners; {@code await} waits it
   * out, so whoever it returns to finds the end in the audit log and the event journal too.
   */
  boolean finishing;

  long lastProgressEventMs;

  /**
   * Read back after a control-plane restart: its steps are descriptions only (executable steps are
   * code over the cluster as planned, which is not stored), so it is planned again before it runs.
   */
  boolean restored;

  Operation(
      String id,
      OperationRequest request,
      ExecutionPlan plan,
      String requestedBy,
      long now,
      OperationState state,
      String message) {
    this.id = id;
    this.request = request;
    this.plan = plan;
    this.requestedBy = requestedBy;
    this.createdAtMs = now;
    this.updatedAtMs = now;
    this.state = state;
    this.message = message == null ? "" : message;
    this.stepStates = new StepState[plan.steps().size()];
    java.util.Arrays.fill(stepStates, StepState.PENDING);
  }

  /** An operation as {@code stored} says, its steps not executable ({@link #restored}). */
  static Operation restore(OperationStore.Snapshot stored, OperationRequest request) {
    List<ExecStep> steps = new ArrayList<>();
    for (OperationStore.Step s : stored.steps()) {
      steps.add(new StoredStep(s.description(), s.bytes()));
    }
    Operation op =
        new Operation(
            stored.id(),
            request,
            new ExecutionPlan(stored.summary(), steps, stored.bytesToMove(), stored.etaMs()),
            stored.requestedBy(),
            stored.createdAtMs(),
            stored.state(),
            stored.message());
    op.updatedAtMs = stored.updatedAtMs();
    op.startedAtMs = stored.startedAtMs();
    op.bytesDone = stored.bytesDone();
    op.stepsDone = stored.stepsDone();
    for (int i = 0; i < op.stepStates.length; i++) {
      op.stepStates[i] = stored.steps().get(i).state();
    }
    op.restored = true;
    return op;
  }

  synchronized OperationStore.Snapshot snapshot() {
    List<OperationStore.Step> steps = new ArrayList<>();
    for (int i = 0; i < stepStates.length; i++) {
      ExecStep s = plan.steps().get(i);
      steps.add(new OperationStore.Step(s.description(), s.bytes(), stepStates[i]));
    }
    return new OperationStore.Snapshot(
        id,
        OperationRequestJson.toJson(request),
        requestedBy,
        createdAtMs,
        updatedAtMs,
        startedAtMs,
        state,
        message,
        plan.summary(),
        plan.bytesToMove(),
        plan.etaMs(),
        bytesDone,
        stepsDone,
        steps);
  }

  /** A step read back from the store: it says what was planned and cannot run. */
  private record StoredStep(String description, long bytes) implements ExecStep {
    @Override
    public void run(StepContext context) {
      throw new IllegalStateException(
          "a step read back after a control-plane restart cannot run; plan the operation again");
    }
  }

  synchronized OperationView view(long now) {
    List<OperationView.Step> steps = new ArrayList<>();
    for (int i = 0; i < stepStates.length; i++) {
      ExecStep s = plan.steps().get(i);
      steps.add(new OperationView.Step(i, s.description(), s.bytes(), stepStates[i]));
    }
    long moved = Math.min(plan.bytesToMove(), bytesDone + currentStepBytes);
    double progress;
    if (state == OperationState.SUCCEEDED) {
      progress = 1;
    } else if (plan.bytesToMove() > 0) {
      progress = (double) moved / plan.bytesToMove();
    } else {
      progress = stepStates.length == 0 ? 0 : (double) stepsDone / stepStates.length;
    }
    return new OperationView(
        id,
        request.kind(),
        state,
        plan.summary(),
        steps,
        plan.bytesToMove(),
        moved,
        progress,
        eta(now, moved, progress),
        message,
        requestedBy,
        createdAtMs,
        updatedAtMs);
  }

  /** Time left at the observed rate; the plan's estimate before anything moved; -1 unknown. */
  private long eta(long now, long moved, double progress) {
    return switch (state) {
      case PLANNED -> plan.etaMs();
      case RUNNING -> {
        long elapsed = Math.max(1, now - startedAtMs);
        if (plan.bytesToMove() > 0 && moved > 0) {
          double rate = (double) moved / elapsed;
          yield (long) ((plan.bytesToMove() - moved) / rate);
        }
        if (plan.bytesToMove() == 0 && progress > 0) {
          yield (long) (elapsed * (1 - progress) / progress);
        }
        yield -1;
      }
      default -> 0;
    };
  }
}
