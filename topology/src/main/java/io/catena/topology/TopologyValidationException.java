package io.catena.topology;

import java.util.List;
import java.util.stream.Collectors;

/** A cluster model broke one or more rules; nothing was built. Bad input, so exit code 2. */
public final class TopologyValidationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private static final int SHOWN = 5;

  private final transient List<TopologyViolation> violations;

  public TopologyValidationException(List<TopologyViolation> violations) {
    super(summary(violations));
    this.violations = List.copyOf(violations);
  }

  public List<TopologyViolation> violations() {
    return violations;
  }

  private static String summary(List<TopologyViolation> violations) {
    String shown =
        violations.stream()
            .limit(SHOWN)
            .map(TopologyViolation::toString)
            .collect(Collectors.joining("; "));
    int more = violations.size() - SHOWN;
    return "invalid cluster topology: " + shown + (more > 0 ? "; and " + more + " more" : "");
  }
}
