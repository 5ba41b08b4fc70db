package io.catena.controlplane.driver;

import java.util.List;

/**
 * One daemon the control plane wants running on a node: its unique {@code name} on the node, its
 * kind, the arguments after the {@code catena} launcher ({@code daemon mgmtd --id ...}), the
 * address it serves on (the driver probes it for health), its JVM options, and data directories it
 * needs (empty: the driver chooses).
 */
public record DaemonDeployment(
    String name,
    DaemonKind kind,
    List<String> args,
    String address,
    int port,
    String jvmOptions,
    List<String> dataDirs) {

  public DaemonDeployment {
    args = List.copyOf(args);
    dataDirs = dataDirs == null ? List.of() : List.copyOf(dataDirs);
  }

  /** The host to probe: the deployment's address, else the node's. */
  public String host(String nodeHost) {
    return address == null || address.isBlank() ? nodeHost : address;
  }

  /** {@code host:port} the daemon serves on. */
  public String endpoint() {
    return address + ":" + port;
  }
}
