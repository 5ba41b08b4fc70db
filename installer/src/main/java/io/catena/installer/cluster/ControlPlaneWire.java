package io.catena.installer.cluster;

import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.TlsIdentityFiles;
import io.catena.protocol.security.TransportSecurity;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the CLI on the control plane's machine reaches a local cluster: when the control plane's
 * state holds the cluster CA, with the control plane's own certificate (which the agents accept,
 * and which verifies every daemon); otherwise, for a cluster started with {@code --plaintext}, in
 * plain text on loopback.
 */
public final class ControlPlaneWire {

  private ControlPlaneWire() {}

  /** True when the control plane in {@code stateDir} has a CA, i.e. the cluster speaks TLS. */
  public static boolean hasCa(Path stateDir) {
    return Files.exists(stateDir.resolve("ca").resolve(CertificateAuthority.KEY_FILE));
  }

  /** The CA certificate clients verify the cluster with. */
  public static Path caCertificate(Path stateDir) {
    return stateDir.resolve("ca").resolve(CertificateAuthority.CERT_FILE);
  }

  /** The transport for calls to the control plane, agents and daemons of {@code stateDir}. */
  public static TransportSecurity forState(Path stateDir) {
    TlsIdentityFiles own = TlsIdentityFiles.in(stateDir.resolve("tls"), "control-plane");
    if (hasCa(stateDir) && own.present()) {
      return TransportSecurity.tls(own);
    }
    return TransportSecurity.plaintext();
  }
}
