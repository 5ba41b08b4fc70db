package io.catena.client.file;

import io.catena.protocol.meta.Inode;
import java.util.Optional;

/** An inode as meta reports it; {@code layout} is present for files. */
public record FileStat(
    long inodeId,
    FileType type,
    int mode,
    int uid,
    int gid,
    long length,
    long mtimeNanos,
    long ctimeNanos,
    Optional<FileLayout> layout) {

  static FileStat of(Inode inode) {
    return new FileStat(
        inode.getId(),
        FileType.of(inode.getType()),
        inode.getMode(),
        inode.getUid(),
        inode.getGid(),
        inode.getLength(),
        inode.getMtimeNanos(),
        inode.getCtimeNanos(),
        inode.hasLayout() ? Optional.of(FileLayout.of(inode.getLayout())) : Optional.empty());
  }
}
