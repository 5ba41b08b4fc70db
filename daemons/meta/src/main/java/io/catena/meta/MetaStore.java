package io.catena.meta;

import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvEngine;
import io.catena.kv.KvException;
import io.catena.kv.KvIdAllocator;
import io.catena.kv.KvReader;
import io.catena.kv.KvTransaction;
import io.catena.kv.KvWork;
import io.catena.kv.RangeResult;
import io.catena.protocol.chunk.InodeIds;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A tenant's file namespace over the KvEngine. Every operation is one serializable transaction
 * (retried on conflict) that reads the tenant, resolves the path and changes inodes, entries, usage
 * and the GC queue together, so quota checks and renames are exact. Meta servers keep no state of
 * their own beyond caches; any number may run over one FoundationDB cluster.
 */
public final class MetaStore {

  public static final int DEFAULT_CHUNK_SIZE = 1 << 20;
  public static final int MIN_CHUNK_SIZE = 4 << 10;
  public static final int MAX_CHUNK_SIZE = 64 << 20;
  public static final int MAX_READDIR_LIMIT = 1000;
  public static final int MAX_SYMLINK_BYTES = 4096;

  private final KvEngine kv;
  private final ChainTableCatalog catalog;
  private final InstantSource clock;
  private final KvIdAllocator inodeIds;
  private final ChunkCollector collector;

  public MetaStore(
      KvEngine kv, ChainTableCatalog catalog, ChunkCollector collector, InstantSource clock) {
    this.kv = kv;
    this.catalog = catalog;
    this.collector = collector;
    this.clock = clock;
    this.inodeIds = new KvIdAllocator(kv, MetaKeys.counter("inode"), 1024);
  }

  /** The engine under this store (tests in this package rewrite records through it). */
  KvEngine engine() {
    return kv;
  }

  /** The result of create and open: the inode, and the write session (0 for a read open). */
  public record Opened(Inode inode, long sessionId) {}

  public record Renamed(Inode inode, boolean replaced) {}

  public record DirPage(List<DirEntry> entries, boolean more) {}

  /** Session ids only need to be unique per file; they are no secret (the token is). */
  private static long newSessionId() {
    return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  }

  /**
   * A new inode id of {@code tenantId}: the tenant in the high bits ({@link InodeIds}), so storage
   * can check that a chunk belongs to the token's tenant without asking meta.
   */
  long newInodeId(long tenantId) {
    return InodeIds.of(tenantId, inodeIds.next());
  }

  private long now() {
    java.time.Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private <T> T tx(KvWork<T> work) {
    try {
      return kv.run(work);
    } catch (KvException e) {
      throw new MetaException(
          e.retryable() ? MetaErrorCode.BUSY : MetaErrorCode.INTERNAL,
          "metadata store: " + e.getMessage(),
          e);
    }
  }

  // ---- operations ------------------------------------------------------------------------

  public Inode mkdir(Principal who, String path, int mode, boolean parents) {
    List<String> names = PathNames.parse(path);
    if (names.isEmpty()) {
      if (parents) {
        return stat(who, "/");
      }
      throw new MetaException(MetaErrorCode.ALREADY_EXISTS, "/ already exists");
    }
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode dir = root(tx, tenant);
          for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String at = display(names, i + 1);
            requireDirectory(dir, display(names, i));
            Permissions.require(dir, who, Access.EXECUTE, display(names, i));
            Inode child = lookup(tx, tenant, dir, name);
            boolean last = i == names.size() - 1;
            if (child != null) {
              if (last && !parents) {
                throw new MetaException(MetaErrorCode.ALREADY_EXISTS, at + " already exists");
              }
              if (!child.isDirectory()) {
                throw new MetaException(
                    last ? MetaErrorCode.ALREADY_EXISTS : MetaErrorCode.NOT_DIRECTORY,
                    at + " exists and is not a directory");
              }
              dir = child;
              continue;
            }
            if (!last && !parents) {
              throw MetaException.notFound(at);
            }
            Permissions.require(dir, who, Access.WRITE, display(names, i));
            charge(tx, tenant, 0, 1);
            long t = now();
            Inode created =
                new Inode(
                    tenant.id(),
                    newInodeId(tenant.id()),
                    InodeType.DIRECTORY,
                    last ? mode & 07777 : 0755,
                    who.uid(),
                    who.gid(),
                    2,
                    0,
                    t,
                    t,
                    dir.id(),
                    null,
                    null);
            link(tx, tenant, dir, name, created);
            dir = created;
          }
          return dir;
        });
  }

  public Opened create(
      Principal who, String path, int mode, boolean exclusive, LayoutRequest request) {
    List<String> names = PathNames.parse(path);
    if (names.isEmpty()) {
      throw new MetaException(MetaErrorCode.IS_DIRECTORY, "/ is a directory");
    }
    long sessionId = newSessionId();
    return afterPendingRemoval(
        path,
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode parent = parent(tx, tenant, who, names);
          String name = names.getLast();
          Inode existing = lookup(tx, tenant, parent, name);
          if (existing != null) {
            if (exclusive) {
              throw new MetaException(MetaErrorCode.ALREADY_EXISTS, path + " already exists");
            }
            return openInTx(tx, tenant, who, existing, path, true, sessionId);
          }
          Permissions.require(parent, who, Access.WRITE, display(names, names.size() - 1));
          charge(tx, tenant, 0, 1);
          long id = newInodeId(tenant.id());
          FileLayout layout = chooseLayout(tenant, request, id);
          long t = now();
          Inode file =
              new Inode(
                  tenant.id(),
                  id,
                  InodeType.FILE,
                  mode & 07777,
                  who.uid(),
                  who.gid(),
                  1,
                  0,
                  t,
                  t,
                  0,
                  layout,
                  null);
          link(tx, tenant, parent, name, file);
          tx.set(MetaKeys.session(tenant.id(), id, sessionId), ValueCodec.session(clock.millis()));
          return new Opened(file, sessionId);
        });
  }

  public Opened open(Principal who, String path, boolean write) {
    long sessionId = write ? newSessionId() : 0;
    KvWork<Opened> work =
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode inode = resolve(tx, tenant, who, PathNames.parse(path), path);
          return openInTx(tx, tenant, who, inode, path, write, sessionId);
        };
    return afterPendingRemoval(path, work);
  }

  /** Runs an open; when it must wait for a chunk removal, performs that removal and retries. */
  private Opened afterPendingRemoval(String path, KvWork<Opened> work) {
    try {
      return tx(work);
    } catch (PendingRemoval pending) {
      // Chunks past a truncation must be gone before anyone writes there again.
      collector.collect(pending.tenantId, pending.inodeId);
      try {
        return tx(work);
      } catch (PendingRemoval stillPending) {
        throw new MetaException(
            MetaErrorCode.BUSY,
            path + " waits for storage to remove its truncated chunks; retry later");
      }
    }
  }

  /** Thrown inside a transaction when a write open must wait for a chunk removal. */
  private static final class PendingRemoval extends RuntimeException {
    final long tenantId;
    final long inodeId;

    PendingRemoval(long tenantId, long inodeId) {
      super(null, null, false, false);
      this.tenantId = tenantId;
      this.inodeId = inodeId;
    }
  }

  private Opened openInTx(
      KvTransaction tx,
      Tenant tenant,
      Principal who,
      Inode inode,
      String path,
      boolean write,
      long sessionId) {
    switch (inode.type()) {
      case DIRECTORY ->
          throw new MetaException(MetaErrorCode.IS_DIRECTORY, path + " is a directory");
      case SYMLINK ->
          throw MetaException.invalid(path + " is a symlink; open its target (see ReadLink)");
      case FILE -> {}
    }
    Permissions.require(inode, who, write ? Access.WRITE : Access.READ, path);
    if (!write) {
      return new Opened(inode, 0);
    }
    FileLayout layout = inode.layout();
    if (catalog.find(layout.chainTableId(), layout.chainTableVersion()).isEmpty()) {
      throw new MetaException(
          MetaErrorCode.STALE_LAYOUT,
          path
              + " is laid out on chain table "
              + layout.chainTableId()
              + " version "
              + layout.chainTableVersion()
              + ", which is no longer known; copy the file to lay it out anew");
    }
    if (tx.get(MetaKeys.gc(tenant.id(), inode.id())) != null) {
      throw new PendingRemoval(tenant.id(), inode.id());
    }
    tx.set(
        MetaKeys.session(tenant.id(), inode.id(), sessionId), ValueCodec.session(clock.millis()));
    return new Opened(inode, sessionId);
  }

  /** Ends a write session; with {@code length} present it becomes the file's length. */
  public Inode close(Principal who, long inodeId, long sessionId, Optional<Long> length) {
    length.ifPresent(MetaStore::checkLength);
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode inode = load(tx, tenant.id(), inodeId);
          if (inode == null) {
            throw MetaException.notFound("inode " + inodeId);
          }
          byte[] sessionKey = MetaKeys.session(tenant.id(), inodeId, sessionId);
          if (tx.get(sessionKey) == null) {
            throw new MetaException(
                MetaErrorCode.NO_SESSION,
                "inode " + inodeId + " has no open write session " + sessionId);
          }
          tx.clear(sessionKey);
          if (length.isEmpty() || length.get() == inode.length()) {
            return inode;
          }
          if (inode.nlink() > 0) {
            charge(tx, tenant, length.get() - inode.length(), 0);
          } else {
            enqueueGc(
                tx,
                new GcTask(
                    new ChunkRemoval(tenant.id(), inodeId, inode.layout(), 0, length.get()), true));
          }
          Inode updated = inode.withLength(length.get(), now());
          tx.set(MetaKeys.inode(tenant.id(), inodeId), ValueCodec.inode(updated));
          return updated;
        });
  }

  public Inode stat(Principal who, String path) {
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          return resolve(tx, tenant, who, PathNames.parse(path), path);
        });
  }

  /** An inode by id, only within the caller's own tenant (another tenant's id is not found). */
  public Inode stat(Principal who, long inodeId) {
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode inode = load(tx, tenant.id(), inodeId);
          if (inode == null) {
            throw MetaException.notFound("inode " + inodeId);
          }
          return inode;
        });
  }

  public DirPage readDir(Principal who, String path, String startAfter, int limit) {
    int pageSize = limit <= 0 ? MAX_READDIR_LIMIT : Math.min(limit, MAX_READDIR_LIMIT);
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode dir = resolve(tx, tenant, who, PathNames.parse(path), path);
          requireDirectory(dir, path);
          Permissions.require(dir, who, Access.READ, path);
          byte[] prefix = MetaKeys.dentryPrefix(tenant.id(), dir.id());
          byte[] begin =
              startAfter == null || startAfter.isEmpty()
                  ? prefix
                  : Keys.after(MetaKeys.dentry(tenant.id(), dir.id(), startAfter));
          RangeResult page = tx.getRange(begin, Keys.prefixEnd(prefix), pageSize);
          List<DirEntry> entries = new ArrayList<>(page.entries().size());
          for (KeyValue kv : page.entries()) {
            entries.add(ValueCodec.dentry(MetaKeys.dentryName(kv.key()), kv.value()));
          }
          return new DirPage(entries, page.more());
        });
  }

  public Renamed rename(Principal who, String from, String to) {
    List<String> src = PathNames.parse(from);
    List<String> dst = PathNames.parse(to);
    if (src.isEmpty() || dst.isEmpty()) {
      throw MetaException.invalid("cannot rename the root directory");
    }
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode srcParent = parent(tx, tenant, who, src);
          Inode dstParent = parent(tx, tenant, who, dst);
          Inode moving = lookup(tx, tenant, srcParent, src.getLast());
          if (moving == null) {
            throw MetaException.notFound(from);
          }
          Permissions.require(srcParent, who, Access.WRITE, display(src, src.size() - 1));
          Permissions.require(dstParent, who, Access.WRITE, display(dst, dst.size() - 1));
          if (moving.isDirectory() && isAncestorOrSelf(tx, tenant, moving.id(), dstParent)) {
            throw MetaException.invalid("cannot move " + from + " into itself (" + to + ")");
          }
          Inode replaced = lookup(tx, tenant, dstParent, dst.getLast());
          if (replaced != null && replaced.id() == moving.id()) {
            return new Renamed(moving, false);
          }
          if (replaced != null) {
            if (moving.isDirectory() && !replaced.isDirectory()) {
              throw new MetaException(MetaErrorCode.NOT_DIRECTORY, to + " is not a directory");
            }
            if (!moving.isDirectory() && replaced.isDirectory()) {
              throw new MetaException(MetaErrorCode.IS_DIRECTORY, to + " is a directory");
            }
            if (replaced.isDirectory() && hasEntries(tx, tenant, replaced)) {
              throw new MetaException(MetaErrorCode.NOT_EMPTY, to + " is not empty");
            }
            drop(tx, tenant, replaced);
          }
          long t = now();
          tx.clear(MetaKeys.dentry(tenant.id(), srcParent.id(), src.getLast()));
          Inode moved = moving.isDirectory() ? moving.withParent(dstParent.id(), t) : moving;
          link(tx, tenant, dstParent, dst.getLast(), moved);
          return new Renamed(moved, replaced != null);
        });
  }

  public long unlink(Principal who, String path) {
    List<String> names = PathNames.parse(path);
    if (names.isEmpty()) {
      throw new MetaException(MetaErrorCode.IS_DIRECTORY, "/ is a directory");
    }
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode parent = parent(tx, tenant, who, names);
          Inode inode = lookup(tx, tenant, parent, names.getLast());
          if (inode == null) {
            throw MetaException.notFound(path);
          }
          if (inode.isDirectory()) {
            throw new MetaException(
                MetaErrorCode.IS_DIRECTORY, path + " is a directory; use rmdir");
          }
          Permissions.require(parent, who, Access.WRITE, display(names, names.size() - 1));
          tx.clear(MetaKeys.dentry(tenant.id(), parent.id(), names.getLast()));
          drop(tx, tenant, inode);
          return inode.id();
        });
  }

  public long rmdir(Principal who, String path) {
    List<String> names = PathNames.parse(path);
    if (names.isEmpty()) {
      throw MetaException.invalid("cannot remove the root directory");
    }
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode parent = parent(tx, tenant, who, names);
          Inode dir = lookup(tx, tenant, parent, names.getLast());
          if (dir == null) {
            throw MetaException.notFound(path);
          }
          requireDirectory(dir, path);
          Permissions.require(parent, who, Access.WRITE, display(names, names.size() - 1));
          if (hasEntries(tx, tenant, dir)) {
            throw new MetaException(MetaErrorCode.NOT_EMPTY, path + " is not empty");
          }
          tx.clear(MetaKeys.dentry(tenant.id(), parent.id(), names.getLast()));
          drop(tx, tenant, dir);
          return dir.id();
        });
  }

  public Inode truncate(Principal who, String path, long length) {
    checkLength(length);
    Inode result =
        tx(
            tx -> {
              Tenant tenant = tenant(tx, who);
              Inode inode = resolve(tx, tenant, who, PathNames.parse(path), path);
              if (inode.isDirectory()) {
                throw new MetaException(MetaErrorCode.IS_DIRECTORY, path + " is a directory");
              }
              if (!inode.isFile()) {
                throw MetaException.invalid(path + " is not a regular file");
              }
              Permissions.require(inode, who, Access.WRITE, path);
              if (length == inode.length()) {
                return inode;
              }
              charge(tx, tenant, length - inode.length(), 0);
              if (length < inode.length()) {
                enqueueGc(
                    tx,
                    new GcTask(
                        new ChunkRemoval(
                            tenant.id(), inode.id(), inode.layout(), length, inode.length()),
                        false));
              }
              Inode updated = inode.withLength(length, now());
              tx.set(MetaKeys.inode(tenant.id(), inode.id()), ValueCodec.inode(updated));
              return updated;
            });
    collector.collectQuietly(result.tenantId(), result.id());
    return result;
  }

  public Inode symlink(Principal who, String path, String target) {
    List<String> names = PathNames.parse(path);
    if (names.isEmpty()) {
      throw new MetaException(MetaErrorCode.ALREADY_EXISTS, "/ already exists");
    }
    if (target == null
        || target.isEmpty()
        || target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SYMLINK_BYTES) {
      throw MetaException.invalid(
          "a symlink target must have 1 to " + MAX_SYMLINK_BYTES + " bytes");
    }
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          Inode parent = parent(tx, tenant, who, names);
          if (lookup(tx, tenant, parent, names.getLast()) != null) {
            throw new MetaException(MetaErrorCode.ALREADY_EXISTS, path + " already exists");
          }
          Permissions.require(parent, who, Access.WRITE, display(names, names.size() - 1));
          charge(tx, tenant, 0, 1);
          long t = now();
          Inode link =
              new Inode(
                  tenant.id(),
                  newInodeId(tenant.id()),
                  InodeType.SYMLINK,
                  0777,
                  who.uid(),
                  who.gid(),
                  1,
                  target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                  t,
                  t,
                  0,
                  null,
                  target);
          link(tx, tenant, parent, names.getLast(), link);
          return link;
        });
  }

  public String readLink(Principal who, String path) {
    Inode inode = stat(who, path);
    if (inode.type() != InodeType.SYMLINK) {
      throw MetaException.invalid(path + " is not a symlink");
    }
    return inode.symlinkTarget();
  }

  public record TenantStatus(Tenant tenant, Usage usage) {}

  public TenantStatus whoAmI(Principal who) {
    return tx(
        tx -> {
          Tenant tenant = tenant(tx, who);
          return new TenantStatus(tenant, usage(tx.snapshot(), tenant.id()));
        });
  }

  // ---- helpers (inside a transaction) ----------------------------------------------------

  static Tenant tenant(KvTransaction tx, Principal who) {
    byte[] value = tx.get(MetaKeys.tenant(who.tenantId()));
    if (value == null) {
      throw new MetaException(
          MetaErrorCode.UNAUTHENTICATED, "tenant " + who.tenantId() + " no longer exists");
    }
    return ValueCodec.tenant(value);
  }

  static Inode load(KvTransaction tx, long tenant, long id) {
    byte[] value = tx.get(MetaKeys.inode(tenant, id));
    return value == null ? null : ValueCodec.inode(value);
  }

  private static Inode root(KvTransaction tx, Tenant tenant) {
    Inode root = load(tx, tenant.id(), tenant.rootInodeId());
    if (root == null) {
      throw new MetaException(
          MetaErrorCode.INTERNAL, "tenant " + tenant.name() + " has lost its root directory");
    }
    return root;
  }

  private static Inode lookup(KvTransaction tx, Tenant tenant, Inode dir, String name) {
    byte[] entry = tx.get(MetaKeys.dentry(tenant.id(), dir.id(), name));
    if (entry == null) {
      return null;
    }
    DirEntry e = ValueCodec.dentry(name, entry);
    Inode inode = load(tx, tenant.id(), e.inodeId());
    if (inode == null) {
      throw new MetaException(
          MetaErrorCode.INTERNAL, "entry " + name + " points at missing inode " + e.inodeId());
    }
    return inode;
  }

  private static Inode resolve(
      KvTransaction tx, Tenant tenant, Principal who, List<String> names, String path) {
    Inode cur = root(tx, tenant);
    for (int i = 0; i < names.size(); i++) {
      requireDirectory(cur, display(names, i));
      Permissions.require(cur, who, Access.EXECUTE, display(names, i));
      Inode next = lookup(tx, tenant, cur, names.get(i));
      if (next == null) {
        throw MetaException.notFound(display(names, i + 1));
      }
      cur = next;
    }
    return cur;
  }

  /** The directory that holds the last name of {@code names}, searchable by {@code who}. */
  private static Inode parent(KvTransaction tx, Tenant tenant, Principal who, List<String> names) {
    List<String> parentNames = names.subList(0, names.size() - 1);
    String parentPath = display(names, names.size() - 1);
    Inode parent = resolve(tx, tenant, who, parentNames, parentPath);
    requireDirectory(parent, parentPath);
    Permissions.require(parent, who, Access.EXECUTE, parentPath);
    return parent;
  }

  private static void requireDirectory(Inode inode, String path) {
    if (!inode.isDirectory()) {
      throw new MetaException(MetaErrorCode.NOT_DIRECTORY, path + " is not a directory");
    }
  }

  private static String display(List<String> names, int count) {
    return "/" + String.join("/", names.subList(0, count));
  }

  private static void link(KvTransaction tx, Tenant tenant, Inode dir, String name, Inode inode) {
    tx.set(MetaKeys.inode(tenant.id(), inode.id()), ValueCodec.inode(inode));
    tx.set(
        MetaKeys.dentry(tenant.id(), dir.id(), name), ValueCodec.dentry(inode.id(), inode.type()));
  }

  private static boolean hasEntries(KvTransaction tx, Tenant tenant, Inode dir) {
    byte[] prefix = MetaKeys.dentryPrefix(tenant.id(), dir.id());
    return !tx.getRange(prefix, Keys.prefixEnd(prefix), 1).isEmpty();
  }

  /** True when {@code ancestor} is {@code dir} or one of its parents. */
  private static boolean isAncestorOrSelf(
      KvTransaction tx, Tenant tenant, long ancestor, Inode dir) {
    Inode cur = dir;
    while (true) {
      if (cur.id() == ancestor) {
        return true;
      }
      if (cur.id() == tenant.rootInodeId()) {
        return false;
      }
      cur = load(tx, tenant.id(), cur.parentId());
      if (cur == null) {
        return false;
      }
    }
  }

  /** Removes an inode whose last entry is gone: directories and symlinks now, files via GC. */
  private void drop(KvTransaction tx, Tenant tenant, Inode inode) {
    if (inode.isFile()) {
      charge(tx, tenant, -inode.length(), -1);
      tx.set(MetaKeys.inode(tenant.id(), inode.id()), ValueCodec.inode(inode.unlinked(now())));
      enqueueGc(
          tx,
          new GcTask(
              new ChunkRemoval(tenant.id(), inode.id(), inode.layout(), 0, inode.length()), true));
    } else {
      charge(tx, tenant, 0, -1);
      tx.clear(MetaKeys.inode(tenant.id(), inode.id()));
    }
  }

  static void enqueueGc(KvTransaction tx, GcTask task) {
    byte[] key = MetaKeys.gc(task.removal().tenantId(), task.removal().inodeId());
    byte[] existing = tx.get(key);
    GcTask merged = existing == null ? task : ValueCodec.gcTask(existing).merge(task);
    tx.set(key, ValueCodec.gcTask(merged));
  }

  /** A tenant's usage as {@code reader} sees it. */
  static Usage usage(KvReader reader, long tenantId) {
    return new Usage(
        Keys.readLe64(reader.get(MetaKeys.usageBytes(tenantId))),
        Keys.readLe64(reader.get(MetaKeys.usageInodes(tenantId))));
  }

  /**
   * Adds to the tenant's usage in the caller's transaction, refusing growth past its quota. Usage
   * is kept in counters changed by {@link KvTransaction#add}, which concurrent changes do not
   * conflict on; only growth of a limited dimension reads its counter, and that read makes
   * concurrent growth of the same tenant serialize, so the limit holds exactly.
   */
  static void charge(KvTransaction tx, Tenant tenant, long bytes, long inodes) {
    Quota quota = tenant.quota();
    if (bytes > 0 && quota.maxBytes() > 0) {
      long after = Keys.readLe64(tx.get(MetaKeys.usageBytes(tenant.id()))) + bytes;
      if (after > quota.maxBytes()) {
        throw new MetaException(
            MetaErrorCode.QUOTA_EXCEEDED,
            "tenant "
                + tenant.name()
                + " would use "
                + after
                + " bytes, over its quota of "
                + quota.maxBytes());
      }
    }
    if (inodes > 0 && quota.maxInodes() > 0) {
      long after = Keys.readLe64(tx.get(MetaKeys.usageInodes(tenant.id()))) + inodes;
      if (after > quota.maxInodes()) {
        throw new MetaException(
            MetaErrorCode.QUOTA_EXCEEDED,
            "tenant "
                + tenant.name()
                + " would have "
                + after
                + " inodes, over its quota of "
                + quota.maxInodes());
      }
    }
    if (bytes != 0) {
      tx.add(MetaKeys.usageBytes(tenant.id()), bytes);
    }
    if (inodes != 0) {
      tx.add(MetaKeys.usageInodes(tenant.id()), inodes);
    }
  }

  /**
   * Creates (or finds) the file {@code /dirName/name} of the tenant's root inside the caller's
   * transaction, owned by uid 0 with mode 0600 (its directory 0700): the KV index keeps its slab
   * files this way. Quota is charged like any create.
   */
  Inode createInternalFile(KvTransaction tx, Tenant tenant, String dirName, String name) {
    Inode root = root(tx, tenant);
    Inode dir = lookup(tx, tenant, root, dirName);
    long t = now();
    if (dir == null) {
      charge(tx, tenant, 0, 1);
      dir =
          new Inode(
              tenant.id(),
              newInodeId(tenant.id()),
              InodeType.DIRECTORY,
              0700,
              0,
              0,
              2,
              0,
              t,
              t,
              root.id(),
              null,
              null);
      link(tx, tenant, root, dirName, dir);
    } else if (!dir.isDirectory()) {
      throw new MetaException(MetaErrorCode.NOT_DIRECTORY, "/" + dirName + " is not a directory");
    }
    Inode existing = lookup(tx, tenant, dir, name);
    if (existing != null) {
      return existing;
    }
    charge(tx, tenant, 0, 1);
    long id = newInodeId(tenant.id());
    Inode file =
        new Inode(
            tenant.id(),
            id,
            InodeType.FILE,
            0600,
            0,
            0,
            1,
            0,
            t,
            t,
            0,
            chooseLayout(tenant, LayoutRequest.DEFAULT, id),
            null);
    link(tx, tenant, dir, name, file);
    return file;
  }

  /** Sets a file's length inside the caller's transaction, charging the tenant's byte quota. */
  Inode setLengthInternal(KvTransaction tx, Tenant tenant, long inodeId, long length) {
    Inode inode = load(tx, tenant.id(), inodeId);
    if (inode == null || !inode.isFile()) {
      throw new MetaException(MetaErrorCode.INTERNAL, "internal file " + inodeId + " is missing");
    }
    charge(tx, tenant, length - inode.length(), 0);
    Inode updated = inode.withLength(length, now());
    tx.set(MetaKeys.inode(tenant.id(), inodeId), ValueCodec.inode(updated));
    return updated;
  }

  private FileLayout chooseLayout(Tenant tenant, LayoutRequest request, long inodeId) {
    if (tenant.chainTableIds().isEmpty()) {
      throw new MetaException(
          MetaErrorCode.PERMISSION_DENIED, "tenant " + tenant.name() + " has no chain table");
    }
    int tableId =
        request.chainTableId() == 0 ? tenant.chainTableIds().getFirst() : request.chainTableId();
    if (!tenant.chainTableIds().contains(tableId)) {
      throw new MetaException(
          MetaErrorCode.PERMISSION_DENIED,
          "tenant " + tenant.name() + " may not use chain table " + tableId);
    }
    ChainTable table =
        catalog
            .latest(tableId)
            .orElseThrow(
                () ->
                    new MetaException(
                        MetaErrorCode.STALE_LAYOUT, "chain table " + tableId + " does not exist"));
    int chunkSize = request.chunkSize() == 0 ? DEFAULT_CHUNK_SIZE : request.chunkSize();
    if (Integer.bitCount(chunkSize) != 1
        || chunkSize < MIN_CHUNK_SIZE
        || chunkSize > MAX_CHUNK_SIZE) {
      throw MetaException.invalid(
          "chunk size "
              + chunkSize
              + " must be a power of two from "
              + MIN_CHUNK_SIZE
              + " to "
              + MAX_CHUNK_SIZE);
    }
    int stripe =
        request.stripeSize() != 0
            ? request.stripeSize()
            : Math.min(Math.max(tenant.defaultStripeSize(), 1), table.chainIds().size());
    List<Integer> chains =
        StripePlacement.choose(
            table.chainIds(), stripe, ThreadLocalRandom.current().nextLong(), inodeId);
    return new FileLayout(table.id(), table.version(), chunkSize, stripe, chains);
  }

  private static void checkLength(long length) {
    if (length < 0) {
      throw MetaException.invalid("length cannot be negative: " + length);
    }
  }
}
