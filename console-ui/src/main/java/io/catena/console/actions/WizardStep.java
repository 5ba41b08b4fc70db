package io.catena.console.actions;

/** Where the operation wizard is: configure → preview (approve) → progress → result. */
public enum WizardStep {
  CONFIGURE,
  PREVIEW,
  PROGRESS,
  RESULT;

  /** The step that shows an operation in this state. */
  static WizardStep of(String operationState) {
    return switch (operationState) {
      case "PLANNED", "REFUSED" -> PREVIEW;
      case "RUNNING" -> PROGRESS;
      case "SUCCEEDED", "FAILED", "CANCELLED" -> RESULT;
      default -> CONFIGURE;
    };
  }

  static boolean terminal(String operationState) {
    return switch (operationState) {
      case "SUCCEEDED", "FAILED", "CANCELLED", "REFUSED" -> true;
      default -> false;
    };
  }
}
