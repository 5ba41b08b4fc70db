package io.catena.controlplane.status;

import java.time.Instant;

/**
 * One condition of a cluster, as Kubernetes writes them: {@code type} (Ready, Progressing,
 * Degraded), {@code status} (True, False, Unknown), a CamelCase {@code reason}, a human {@code
 * message}, and when the status last changed.
 */
public record Condition(
    String type, String status, String reason, String message, String lastTransitionTime) {

  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String TRUE = "True";
  public static final String FALSE = "False";

  public static Condition of(
      String type, boolean value, String reason, String message, Instant now) {
    return new Condition(type, value ? TRUE : FALSE, reason, message, now.toString());
  }

  public boolean isTrue() {
    return TRUE.equals(status);
  }

  /** This condition, keeping {@code previous}'s transition time when the status did not change. */
  public Condition since(Condition previous) {
    if (previous != null && previous.type.equals(type) && previous.status.equals(status)) {
      return new Condition(type, status, reason, message, previous.lastTransitionTime);
    }
    return this;
  }
}
