package io.catena.controlplane.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Which token the control plane issued for each tenant: {@code tokens/NAME.id} (the token id, so
 * rotation can replace it) and, for tenants created by the spec, {@code tokens/NAME.token} (the
 * secret, mode 0600) so that {@code catena up} can show the local user their token. Tokens created
 * through the API are returned once and never written.
 */
public final class TenantTokens {

  private final Path dir;

  /** Tokens under {@code dir}, or kept nowhere when it is null. */
  public TenantTokens(Path dir) {
    this.dir = dir;
  }

  public synchronized Optional<Long> tokenId(String tenant) {
    return read(tenant + ".id").map(Long::parseLong);
  }

  public synchronized Optional<String> secret(String tenant) {
    return read(tenant + ".token");
  }

  public synchronized void remember(String tenant, IssueKind kind, TenantAdmin.IssuedToken token) {
    if (dir == null) {
      return;
    }
    write(tenant + ".id", Long.toString(token.tokenId()));
    if (kind == IssueKind.KEEP_SECRET) {
      write(tenant + ".token", token.token());
    } else {
      try {
        Files.deleteIfExists(dir.resolve(tenant + ".token"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Drops what is kept of a deleted tenant's token. */
  public synchronized void forget(String tenant) {
    if (dir == null) {
      return;
    }
    try {
      Files.deleteIfExists(dir.resolve(tenant + ".id"));
      Files.deleteIfExists(dir.resolve(tenant + ".token"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the secret is written down (spec tenants) or only returned (API). */
  public enum IssueKind {
    KEEP_SECRET,
    SHOW_ONCE
  }

  private Optional<String> read(String name) {
    if (dir == null || !Files.exists(dir.resolve(name))) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(dir.resolve(name)).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(String name, String value) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve(name + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, value + "\n");
      Files.move(
          tmp,
          dir.resolve(name),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
    }
  }
}
