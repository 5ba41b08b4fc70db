package io.catena.controlplane.ops;

/** An operation would break a safety rule (or cannot be done): planned as REFUSED, nothing runs. */
public final class OperationRefusedException extends RuntimeException {
  public OperationRefusedException(String reason) {
    super(reason);
  }
}
