package io.catena.meta;

import io.catena.protocol.chunk.InodeIds;

/**
 * Test helper: makes a file look as if it was created before inode ids carried their tenant (a data
 * directory of an older {@code catena up}). It moves the inode to the same sequence under tag 0 and
 * points its directory entry there, in one transaction of the meta daemon's engine.
 */
public final class LegacyInodes {

  private LegacyInodes() {}

  /** Returns the file's new, legacy inode id; the file must hold no chunks yet. */
  public static long makeLegacy(
      MetaDaemon meta, long tenantId, long parentId, String name, long inodeId) {
    long legacy = inodeId & InodeIds.MAX_SEQUENCE;
    meta.node()
        .store()
        .engine()
        .run(
            tx -> {
              Inode i = ValueCodec.inode(tx.get(MetaKeys.inode(tenantId, inodeId)));
              Inode moved =
                  new Inode(
                      i.tenantId(),
                      legacy,
                      i.type(),
                      i.mode(),
                      i.uid(),
                      i.gid(),
                      i.nlink(),
                      i.length(),
                      i.mtimeNanos(),
                      i.ctimeNanos(),
                      i.parentId(),
                      i.layout(),
                      i.symlinkTarget());
              tx.clear(MetaKeys.inode(tenantId, inodeId));
              tx.set(MetaKeys.inode(tenantId, legacy), ValueCodec.inode(moved));
              tx.set(
                  MetaKeys.dentry(tenantId, parentId, name), ValueCodec.dentry(legacy, i.type()));
              return null;
            });
    return legacy;
  }
}
