package io.catena.protocol.security;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a holder keeps what the cluster CA gave it: its certificate, its private key (mode 0600)
 * and the CA's certificate it trusts peers by. Agents keep theirs under {@code ROOT/tls}; the
 * daemons an agent runs read the same files and pick up a renewed certificate without a restart.
 */
public record TlsIdentityFiles(Path certificate, Path key, Path ca) {

  public static final String CERT = "node.crt";
  public static final String KEY = "node.key";
  public static final String CA = "ca.crt";

  /** The conventional names in {@code dir}: node.crt, node.key, ca.crt. */
  public static TlsIdentityFiles in(Path dir) {
    return in(dir, "node");
  }

  /** {@code BASE.crt}, {@code BASE.key} and {@code ca.crt} in {@code dir}. */
  public static TlsIdentityFiles in(Path dir, String base) {
    return new TlsIdentityFiles(
        dir.resolve(base + ".crt"), dir.resolve(base + ".key"), dir.resolve(CA));
  }

  /** True when all three files are there. */
  public boolean present() {
    return certificate != null
        && Files.isReadable(certificate)
        && Files.isReadable(key)
        && Files.isReadable(ca);
  }

  /** Throws a clear error naming the first file that is missing (a client may have only the CA). */
  public TlsIdentityFiles requirePresent() {
    for (Path p : new Path[] {certificate, key, ca}) {
      if (p != null && !Files.isReadable(p)) {
        throw new IllegalArgumentException("TLS file " + p + " does not exist or is not readable");
      }
    }
    return this;
  }
}
