package io.catena.controlplane.spec;

/** One problem in a spec: the field's path ({@code spec.nodes[2].disks}) and why. */
public record SpecProblem(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
