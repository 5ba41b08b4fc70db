package io.catena.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The control plane's directory: {@code join.token} (agents join with it), {@code admin.token}
 * (mutations of the API need it), both created once with mode 0600; {@code agents.json} (joined
 * agents), {@code ports.properties} (daemon ports), {@code tokens/} (tenant token ids and the spec
 * tenants' secrets).
 */
public final class ControlPlaneState {

  private final Path dir;
  private final String joinToken;
  private final String adminToken;

  private ControlPlaneState(Path dir, String joinToken, String adminToken) {
    this.dir = dir;
    this.joinToken = joinToken;
    this.adminToken = adminToken;
  }

  public static ControlPlaneState open(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    return new ControlPlaneState(
        dir, secret(dir.resolve("join.token")), secret(dir.resolve("admin.token")));
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
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, token + "\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  public String joinToken() {
    return joinToken;
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
