package io.catena.meta;

/**
 * A pending chunk removal of one file, stored under the GC prefix in the transaction that made the
 * chunks unneeded. A later truncate of the same file merges into it (smaller keep length, larger
 * known length); {@code deleteInode} marks an unlinked file whose inode goes once its chunks are
 * gone.
 */
record GcTask(ChunkRemoval removal, boolean deleteInode) {

  GcTask merge(GcTask later) {
    ChunkRemoval a = removal;
    ChunkRemoval b = later.removal;
    return new GcTask(
        new ChunkRemoval(
            a.tenantId(),
            a.inodeId(),
            a.layout(),
            Math.min(a.keepLength(), b.keepLength()),
            Math.max(a.knownLength(), b.knownLength())),
        deleteInode || later.deleteInode);
  }
}
