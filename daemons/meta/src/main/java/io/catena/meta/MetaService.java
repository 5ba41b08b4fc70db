package io.catena.meta;

import io.catena.protocol.meta.CloseRequest;
import io.catena.protocol.meta.CreateRequest;
import io.catena.protocol.meta.InodeReply;
import io.catena.protocol.meta.MetaServiceGrpc;
import io.catena.protocol.meta.MkdirRequest;
import io.catena.protocol.meta.OpenReply;
import io.catena.protocol.meta.OpenRequest;
import io.catena.protocol.meta.PathRequest;
import io.catena.protocol.meta.ReadDirReply;
import io.catena.protocol.meta.ReadDirRequest;
import io.catena.protocol.meta.ReadLinkReply;
import io.catena.protocol.meta.RemoveReply;
import io.catena.protocol.meta.RenameReply;
import io.catena.protocol.meta.RenameRequest;
import io.catena.protocol.meta.StatRequest;
import io.catena.protocol.meta.SymlinkRequest;
import io.catena.protocol.meta.TruncateRequest;
import io.catena.protocol.meta.WhoAmIReply;
import io.catena.protocol.meta.WhoAmIRequest;
import io.grpc.stub.StreamObserver;
import java.util.Optional;

/** The gRPC face of {@link MetaStore}: wire ↔ domain only; the caller comes from its token. */
public final class MetaService extends MetaServiceGrpc.MetaServiceImplBase {

  private final MetaStore store;

  public MetaService(MetaStore store) {
    this.store = store;
  }

  private static InodeReply reply(Inode inode) {
    return InodeReply.newBuilder().setInode(ProtoMapper.inode(inode)).build();
  }

  private static OpenReply reply(MetaStore.Opened opened) {
    return OpenReply.newBuilder()
        .setInode(ProtoMapper.inode(opened.inode()))
        .setSessionId(opened.sessionId())
        .build();
  }

  @Override
  public void mkdir(MkdirRequest req, StreamObserver<InodeReply> out) {
    Calls.unary(
        out,
        () ->
            reply(
                store.mkdir(
                    AuthInterceptor.principal(), req.getPath(), req.getMode(), req.getParents())));
  }

  @Override
  public void create(CreateRequest req, StreamObserver<OpenReply> out) {
    Calls.unary(
        out,
        () ->
            reply(
                store.create(
                    AuthInterceptor.principal(),
                    req.getPath(),
                    req.getMode(),
                    req.getExclusive(),
                    new LayoutRequest(
                        req.getLayout().getChainTableId(),
                        req.getLayout().getChunkSize(),
                        req.getLayout().getStripeSize()))));
  }

  @Override
  public void open(OpenRequest req, StreamObserver<OpenReply> out) {
    Calls.unary(
        out, () -> reply(store.open(AuthInterceptor.principal(), req.getPath(), req.getWrite())));
  }

  @Override
  public void close(CloseRequest req, StreamObserver<InodeReply> out) {
    Calls.unary(
        out,
        () ->
            reply(
                store.close(
                    AuthInterceptor.principal(),
                    req.getInodeId(),
                    req.getSessionId(),
                    req.getSetLength() ? Optional.of(req.getLength()) : Optional.empty())));
  }

  @Override
  public void stat(StatRequest req, StreamObserver<InodeReply> out) {
    Calls.unary(
        out,
        () ->
            switch (req.getTargetCase()) {
              case PATH -> reply(store.stat(AuthInterceptor.principal(), req.getPath()));
              case INODE_ID -> reply(store.stat(AuthInterceptor.principal(), req.getInodeId()));
              case TARGET_NOT_SET ->
                  throw MetaException.invalid("stat needs a path or an inode id");
            });
  }

  @Override
  public void readDir(ReadDirRequest req, StreamObserver<ReadDirReply> out) {
    Calls.unary(
        out,
        () -> {
          MetaStore.DirPage page =
              store.readDir(
                  AuthInterceptor.principal(), req.getPath(), req.getStartAfter(), req.getLimit());
          ReadDirReply.Builder b = ReadDirReply.newBuilder().setMore(page.more());
          page.entries().forEach(e -> b.addEntries(ProtoMapper.entry(e)));
          return b.build();
        });
  }

  @Override
  public void rename(RenameRequest req, StreamObserver<RenameReply> out) {
    Calls.unary(
        out,
        () -> {
          MetaStore.Renamed r =
              store.rename(AuthInterceptor.principal(), req.getFrom(), req.getTo());
          return RenameReply.newBuilder()
              .setInode(ProtoMapper.inode(r.inode()))
              .setReplaced(r.replaced())
              .build();
        });
  }

  @Override
  public void unlink(PathRequest req, StreamObserver<RemoveReply> out) {
    Calls.unary(
        out,
        () ->
            RemoveReply.newBuilder()
                .setInodeId(store.unlink(AuthInterceptor.principal(), req.getPath()))
                .build());
  }

  @Override
  public void rmdir(PathRequest req, StreamObserver<RemoveReply> out) {
    Calls.unary(
        out,
        () ->
            RemoveReply.newBuilder()
                .setInodeId(store.rmdir(AuthInterceptor.principal(), req.getPath()))
                .build());
  }

  @Override
  public void truncate(TruncateRequest req, StreamObserver<InodeReply> out) {
    Calls.unary(
        out,
        () -> reply(store.truncate(AuthInterceptor.principal(), req.getPath(), req.getLength())));
  }

  @Override
  public void symlink(SymlinkRequest req, StreamObserver<InodeReply> out) {
    Calls.unary(
        out,
        () -> reply(store.symlink(AuthInterceptor.principal(), req.getPath(), req.getTarget())));
  }

  @Override
  public void readLink(PathRequest req, StreamObserver<ReadLinkReply> out) {
    Calls.unary(
        out,
        () ->
            ReadLinkReply.newBuilder()
                .setTarget(store.readLink(AuthInterceptor.principal(), req.getPath()))
                .build());
  }

  @Override
  public void whoAmI(WhoAmIRequest req, StreamObserver<WhoAmIReply> out) {
    Calls.unary(
        out,
        () -> {
          Principal who = AuthInterceptor.principal();
          MetaStore.TenantStatus status = store.whoAmI(who);
          return WhoAmIReply.newBuilder()
              .setTenant(ProtoMapper.tenant(status.tenant()))
              .setUid(who.uid())
              .setGid(who.gid())
              .setTokenId(who.tokenId())
              .setUsage(ProtoMapper.usage(status.usage()))
              .build();
        });
  }
}
