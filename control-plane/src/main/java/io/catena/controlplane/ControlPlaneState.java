package io.catena.controlplane;

import io.catena.controlplane.security.JoinTokens;
import io.catena.protocol.security.CertificateAuthority;
import io.catena.protocol.security.SecretFiles;
import io.catena.protocol.security.TlsIdentityFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * The control plane's directory: {@code join.token} (agents join with it until it expires or is
 * rotated), {@code admin.token} (mutations of the API need it), both created with mode 0600; {@code
 * ca/} (the cluster CA: {@code ca.key} 0600, {@code ca.crt}), {@code tls/} (the control plane's own
 * certificate), {@code agents.json} (joined agents), {@code ports.properties} (daemon ports),
 * {@code tokens/} (tenant token ids and the spec tenants' secrets).
 */
public final class ControlPlaneState {

  private final Path dir;
  private final JoinTokens joinTokens;
  private final String adminToken;

  private ControlPlaneState(Path dir, JoinTokens joinTokens, String adminToken) {
    this.dir = dir;
    this.joinTokens = joinTokens;
    this.adminToken = adminToken;
  }

  public static ControlPlaneState open(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    JoinTokens join = new JoinTokens(dir.resolve("join.token"), Clock.systemUTC());
    join.current(JoinTokens.DEFAULT_TTL);
    return new ControlPlaneState(dir, join, secret(dir.resolve("admin.token")));
  }

  /** The secret in {@code file}, created (random, mode 0600) when absent. */
  static String secret(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      if (!SecretFiles.createSecret(file, token + "\n")) {
        return Files.readString(file).strip();
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** The current join token's secret. */
  public String joinToken() {
    return joinTokens.current(JoinTokens.DEFAULT_TTL).secret();
  }

  public JoinTokens joinTokens() {
    return joinTokens;
  }

  /** The cluster CA, made on first use. */
  public CertificateAuthority certificateAuthority(String clusterName) {
    try {
      return CertificateAuthority.openOrCreate(dir.resolve("ca"), clusterName, Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the cluster CA in " + dir.resolve("ca") + ": " + e.getMessage(), e);
    }
  }

  /** The control plane's own certificate, key and the CA certificate. */
  public TlsIdentityFiles identityFiles() {
    return TlsIdentityFiles.in(dir.resolve("tls"), "control-plane");
  }

  public String adminToken() {
    return adminToken;
  }

  public Path agentsFile() {
    return dir.resolve("agents.json");
  }

  public Path portsFile() {
    return dir.resolve("ports.properties");
  }

  public Path tokensDir() {
    return dir.resolve("tokens");
  }
}
