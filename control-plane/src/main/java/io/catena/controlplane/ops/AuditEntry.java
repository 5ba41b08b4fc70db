package io.catena.controlplane.ops;

/**
 * One line of the audit log: who did what to what, when, and how it ended.
 *
 * @param who a user name, or {@code self-healing}
 * @param action e.g. {@code plan repair}, {@code approve}, {@code finish}
 * @param target the operation id and its subject
 * @param outcome e.g. PLANNED, REFUSED, SUCCEEDED, FAILED
 */
public record AuditEntry(
    long atMs, String who, String action, String target, String outcome, String detail) {
  public AuditEntry {
    who = who == null || who.isBlank() ? "unknown" : who;
    detail = detail == null ? "" : detail;
  }
}
