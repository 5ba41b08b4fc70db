package io.catena.meta;

import io.catena.protocol.meta.TenantReply;
import io.catena.protocol.meta.VerifyTokenReply;

/** Domain ↔ wire conversions of the meta service. */
final class ProtoMapper {

  private ProtoMapper() {}

  static io.catena.protocol.meta.InodeType type(InodeType type) {
    return switch (type) {
      case FILE -> io.catena.protocol.meta.InodeType.FILE;
      case DIRECTORY -> io.catena.protocol.meta.InodeType.DIRECTORY;
      case SYMLINK -> io.catena.protocol.meta.InodeType.SYMLINK;
    };
  }

  static io.catena.protocol.meta.Inode inode(Inode i) {
    io.catena.protocol.meta.Inode.Builder b =
        io.catena.protocol.meta.Inode.newBuilder()
            .setId(i.id())
            .setType(type(i.type()))
            .setMode(i.mode())
            .setUid(i.uid())
            .setGid(i.gid())
            .setNlink(i.nlink())
            .setLength(i.length())
            .setMtimeNanos(i.mtimeNanos())
            .setCtimeNanos(i.ctimeNanos())
            .setTenantId(i.tenantId());
    if (i.isDirectory()) {
      b.setParentId(i.parentId());
    }
    if (i.layout() != null) {
      b.setLayout(layout(i.layout()));
    }
    return b.build();
  }

  static io.catena.protocol.meta.FileLayout layout(FileLayout l) {
    return io.catena.protocol.meta.FileLayout.newBuilder()
        .setChainTableId(l.chainTableId())
        .setChainTableVersion(l.chainTableVersion())
        .setChunkSize(l.chunkSize())
        .setStripeSize(l.stripeSize())
        .addAllChainIds(l.chainIds())
        .build();
  }

  static io.catena.protocol.meta.DirEntry entry(DirEntry e) {
    return io.catena.protocol.meta.DirEntry.newBuilder()
        .setName(e.name())
        .setInodeId(e.inodeId())
        .setType(type(e.type()))
        .build();
  }

  static io.catena.protocol.meta.Quota quota(Quota q) {
    return io.catena.protocol.meta.Quota.newBuilder()
        .setMaxBytes(q.maxBytes())
        .setMaxInodes(q.maxInodes())
        .build();
  }

  static Quota quota(io.catena.protocol.meta.Quota q) {
    return new Quota(q.getMaxBytes(), q.getMaxInodes());
  }

  static io.catena.protocol.meta.Usage usage(Usage u) {
    return io.catena.protocol.meta.Usage.newBuilder()
        .setBytes(u.bytes())
        .setInodes(u.inodes())
        .build();
  }

  static io.catena.protocol.meta.Tenant tenant(Tenant t) {
    return io.catena.protocol.meta.Tenant.newBuilder()
        .setId(t.id())
        .setName(t.name())
        .setQuota(quota(t.quota()))
        .addAllChainTableIds(t.chainTableIds())
        .setDefaultStripeSize(t.defaultStripeSize())
        .setRootInodeId(t.rootInodeId())
        .build();
  }

  static TenantReply tenantReply(MetaStore.TenantStatus s) {
    return TenantReply.newBuilder()
        .setTenant(tenant(s.tenant()))
        .setUsage(usage(s.usage()))
        .build();
  }

  static VerifyTokenReply verified(Principal p, Tenant t) {
    return VerifyTokenReply.newBuilder()
        .setTenantId(p.tenantId())
        .setUid(p.uid())
        .setGid(p.gid())
        .setTokenId(p.tokenId())
        .addAllChainTableIds(t.chainTableIds())
        .setAdmin(p.admin())
        .setExpiresAtMs(p.expiresAtMillis())
        .build();
  }

  static io.catena.protocol.meta.MetaErrorCode code(MetaErrorCode code) {
    return io.catena.protocol.meta.MetaErrorCode.valueOf(code.name());
  }
}
