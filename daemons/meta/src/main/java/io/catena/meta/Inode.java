package io.catena.meta;

/**
 * A file, directory or symlink of one tenant. {@code parentId} is kept for directories (rename
 * checks), {@code layout} for files, {@code symlinkTarget} for symlinks. {@code nlink} is 0 once a
 * file is unlinked and waits for its chunks to be collected.
 */
public record Inode(
    long tenantId,
    long id,
    InodeType type,
    int mode,
    int uid,
    int gid,
    int nlink,
    long length,
    long mtimeNanos,
    long ctimeNanos,
    long parentId,
    FileLayout layout,
    String symlinkTarget) {

  public boolean isDirectory() {
    return type == InodeType.DIRECTORY;
  }

  public boolean isFile() {
    return type == InodeType.FILE;
  }

  Inode withLength(long newLength, long nowNanos) {
    return new Inode(
        tenantId,
        id,
        type,
        mode,
        uid,
        gid,
        nlink,
        newLength,
        nowNanos,
        nowNanos,
        parentId,
        layout,
        symlinkTarget);
  }

  Inode withParent(long newParent, long nowNanos) {
    return new Inode(
        tenantId,
        id,
        type,
        mode,
        uid,
        gid,
        nlink,
        length,
        mtimeNanos,
        nowNanos,
        newParent,
        layout,
        symlinkTarget);
  }

  Inode unlinked(long nowNanos) {
    return new Inode(
        tenantId,
        id,
        type,
        mode,
        uid,
        gid,
        0,
        length,
        mtimeNanos,
        nowNanos,
        parentId,
        layout,
        symlinkTarget);
  }
}
