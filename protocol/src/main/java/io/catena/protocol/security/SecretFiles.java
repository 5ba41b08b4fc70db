package io.catena.protocol.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes key and token files so that no other user can ever read them: the bytes go to a temporary
 * file created with mode 0600 (never chmod'ed afterwards, so there is no window with the umask's
 * mode), are forced to disk, and replace the target in one atomic rename. A crash leaves either the
 * old file or the new one, never a torn one.
 */
public final class SecretFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private SecretFiles() {}

  /** Writes a secret (mode 0600 from creation). */
  public static void writeSecret(Path file, String content) throws IOException {
    write(file, content, OWNER_ONLY);
  }

  /** Writes a public file such as a certificate (mode 0644), atomically. */
  public static void writePublic(Path file, String content) throws IOException {
    write(file, content, WORLD_READABLE);
  }

  /**
   * Writes a secret only if {@code file} does not exist yet, atomically: of two racing writers
   * exactly one wins. Returns false if the file was there.
   */
  public static boolean createSecret(Path file, String content) throws IOException {
    Path tmp = temp(file, OWNER_ONLY);
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      force(tmp);
      Files.createLink(file, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void write(Path file, String content, Set<PosixFilePermission> mode)
      throws IOException {
    Path tmp = temp(file, mode);
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      force(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path temp(Path file, Set<PosixFilePermission> mode) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    FileAttribute<?>[] attrs =
        dir.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
            : new FileAttribute<?>[0];
    return Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attrs);
  }

  private static void force(Path file) throws IOException {
    try (var ch =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }
}
