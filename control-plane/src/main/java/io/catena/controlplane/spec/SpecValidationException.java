package io.catena.controlplane.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec with problems; the message lists every one ({@code path: why}), separated by "; ". */
public final class SpecValidationException extends IllegalArgumentException {
  private final transient List<SpecProblem> problems;

  public SpecValidationException(List<SpecProblem> problems) {
    super(
        "invalid cluster spec: "
            + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<SpecProblem> problems() {
    return problems;
  }
}
