package io.catena.controlplane.ops;

/**
 * Something that happened: an operation's progress or state change, an alert, an audit entry.
 * Exactly one of {@code operation} and {@code audit} is set for OPERATION and AUDIT events.
 */
public record OpsEvent(
    long sequence,
    long atMs,
    Kind kind,
    Severity severity,
    String message,
    OperationView operation,
    AuditEntry audit) {

  /** What the event is about. */
  public enum Kind {
    OPERATION,
    STATUS,
    ALERT,
    AUDIT
  }

  /** How much it matters. */
  public enum Severity {
    INFO,
    WARNING,
    ERROR
  }
}
