package io.catena.client.file;

/** What an inode is. */
public enum FileType {
  FILE,
  DIRECTORY,
  SYMLINK;

  static FileType of(io.catena.protocol.meta.InodeType type) {
    return switch (type) {
      case DIRECTORY -> DIRECTORY;
      case SYMLINK -> SYMLINK;
      default -> FILE;
    };
  }
}
