package io.catena.client.file;

import io.catena.client.CatenaException;
import io.catena.client.ClientErrorCode;
import io.catena.protocol.meta.CloseRequest;
import io.catena.protocol.meta.CreateRequest;
import io.catena.protocol.meta.InodeType;
import io.catena.protocol.meta.LayoutHint;
import io.catena.protocol.meta.MetaServiceGrpc;
import io.catena.protocol.meta.MkdirRequest;
import io.catena.protocol.meta.OpenReply;
import io.catena.protocol.meta.OpenRequest;
import io.catena.protocol.meta.PathRequest;
import io.catena.protocol.meta.ReadDirReply;
import io.catena.protocol.meta.ReadDirRequest;
import io.catena.protocol.meta.RenameRequest;
import io.catena.protocol.meta.StatRequest;
import io.catena.protocol.meta.TruncateRequest;
import io.catena.protocol.meta.WhoAmIReply;
import io.catena.protocol.meta.WhoAmIRequest;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The file API: namespace calls go to meta with the tenant token ({@code authorization: Bearer});
 * opened files read and write through {@link FileIo}. Paths are absolute, inside the token's
 * tenant.
 */
public final class CatenaFiles {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final MetaServiceGrpc.MetaServiceBlockingStub stub;
  private final Duration callTimeout;
  private final MetaCalls calls;
  private final FileIo io;

  public CatenaFiles(
      Channel meta, String token, Duration callTimeout, Duration retryBudget, FileIo io) {
    this.stub = MetaServiceGrpc.newBlockingStub(meta).withInterceptors(bearer(token));
    this.callTimeout = callTimeout;
    this.calls = new MetaCalls(retryBudget);
    this.io = io;
  }

  static ClientInterceptor bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  FileIo io() {
    return io;
  }

  private MetaServiceGrpc.MetaServiceBlockingStub stub() {
    return stub.withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Creates {@code path} (or opens it for writing unless exclusive) with a write session. */
  public CatenaFile create(String path, CreateOptions options) {
    OpenReply reply =
        calls.call(
            "create " + path,
            () ->
                stub()
                    .create(
                        CreateRequest.newBuilder()
                            .setPath(path)
                            .setMode(options.mode())
                            .setExclusive(options.exclusive())
                            .setLayout(
                                LayoutHint.newBuilder()
                                    .setChainTableId(options.chainTableId())
                                    .setChunkSize(options.chunkSize())
                                    .setStripeSize(options.stripeSize()))
                            .build()));
    return handle(path, reply, true);
  }

  public CatenaFile create(String path) {
    return create(path, CreateOptions.defaults());
  }

  /** Opens an existing file for reading. */
  public CatenaFile open(String path) {
    return open(path, false);
  }

  /** Opens an existing file; {@code write} adds a write session. */
  public CatenaFile open(String path, boolean write) {
    OpenReply reply =
        calls.call(
            "open " + path,
            () -> stub().open(OpenRequest.newBuilder().setPath(path).setWrite(write).build()));
    return handle(path, reply, write);
  }

  private CatenaFile handle(String path, OpenReply reply, boolean write) {
    var inode = reply.getInode();
    if (inode.getType() != InodeType.FILE || !inode.hasLayout()) {
      throw new CatenaException(ClientErrorCode.IS_DIRECTORY, path + " is not a regular file");
    }
    return new CatenaFile(
        this,
        path,
        inode.getId(),
        FileLayout.of(inode.getLayout()),
        reply.getSessionId(),
        write,
        inode.getLength());
  }

  void closeSession(CatenaFile file, long length) {
    calls.call(
        "close " + file.path(),
        () ->
            stub()
                .close(
                    CloseRequest.newBuilder()
                        .setInodeId(file.inodeId())
                        .setSessionId(file.sessionId())
                        .setSetLength(true)
                        .setLength(length)
                        .build()));
  }

  public FileStat stat(String path) {
    return FileStat.of(
        calls
            .call("stat " + path, () -> stub().stat(StatRequest.newBuilder().setPath(path).build()))
            .getInode());
  }

  public FileStat stat(long inodeId) {
    return FileStat.of(
        calls
            .call(
                "stat inode " + inodeId,
                () -> stub().stat(StatRequest.newBuilder().setInodeId(inodeId).build()))
            .getInode());
  }

  /** Creates a directory and any missing parents; an existing directory is no error. */
  public FileStat mkdirs(String path) {
    return FileStat.of(
        calls
            .call(
                "mkdir " + path,
                () ->
                    stub()
                        .mkdir(
                            MkdirRequest.newBuilder()
                                .setPath(path)
                                .setMode(0755)
                                .setParents(true)
                                .build()))
            .getInode());
  }

  /** Every entry of a directory, in name order. */
  public List<DirEntry> list(String path) {
    List<DirEntry> entries = new ArrayList<>();
    String after = "";
    while (true) {
      String from = after;
      ReadDirReply page =
          calls.call(
              "list " + path,
              () ->
                  stub()
                      .readDir(
                          ReadDirRequest.newBuilder().setPath(path).setStartAfter(from).build()));
      for (var e : page.getEntriesList()) {
        entries.add(new DirEntry(e.getName(), e.getInodeId(), FileType.of(e.getType())));
        after = e.getName();
      }
      if (!page.getMore() || page.getEntriesCount() == 0) {
        return entries;
      }
    }
  }

  /** Removes a file or symlink; its chunks are collected by meta's GC. */
  public void delete(String path) {
    calls.call(
        "delete " + path, () -> stub().unlink(PathRequest.newBuilder().setPath(path).build()));
  }

  public void rmdir(String path) {
    calls.call("rmdir " + path, () -> stub().rmdir(PathRequest.newBuilder().setPath(path).build()));
  }

  public void rename(String from, String to) {
    calls.call(
        "rename " + from,
        () -> stub().rename(RenameRequest.newBuilder().setFrom(from).setTo(to).build()));
  }

  public FileStat truncate(String path, long length) {
    return FileStat.of(
        calls
            .call(
                "truncate " + path,
                () ->
                    stub()
                        .truncate(
                            TruncateRequest.newBuilder().setPath(path).setLength(length).build()))
            .getInode());
  }

  /** The caller's tenant, identity and usage. */
  public WhoAmIReply whoAmI() {
    return calls.call("whoami", () -> stub().whoAmI(WhoAmIRequest.getDefaultInstance()));
  }
}
