package io.catena.controlplane.driver;

import java.util.List;

/**
 * One daemon the control plane wants running on a node: its unique {@code name} on the node, its
 * kind, the arguments after the {@code catena} launcher ({@code daemon mgmtd --id ...}), the port
 * it serves on (the driver probes it for health), its JVM options, and data directories it needs
 * (empty: the driver chooses).
 */
public record DaemonDeployment(
    String name,
    DaemonKind kind,
    List<String> args,
    int port,
    String jvmOptions,
    List<String> dataDirs) {

  public DaemonDeployment {
    args = List.copyOf(args);
    dataDirs = dataDirs == null ? List.of() : List.copyOf(dataDirs);
  }
}
