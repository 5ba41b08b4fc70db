package io.catena.controlplane.ops;

/** What a running step can tell its operation. */
public interface StepContext {

  /** Bytes of this step copied so far (progress and ETA). */
  void progress(long bytesDone);

  /** A line about what the step is waiting for, shown with the operation. */
  void note(String message);
}
