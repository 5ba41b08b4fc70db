package io.catena.meta;

import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvEngine;
import io.catena.kv.KvException;
import io.catena.kv.KvIdAllocator;
import io.catena.kv.KvTransaction;
import io.catena.kv.KvWork;
import io.catena.protocol.chunk.InodeIds;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tenants and their tokens. A tenant is created with its root directory in one transaction; tokens
 * are stored as salted hashes only. The system tenant (id 0) exists from bootstrap on; its tokens
 * administer the others.
 */
public final class TenantRegistry {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private final KvEngine kv;
  private final MetaStore store;
  private final InstantSource clock;
  private final KvIdAllocator tenantIds;
  private final KvIdAllocator tokenIds;

  public TenantRegistry(KvEngine kv, MetaStore store, InstantSource clock) {
    this.kv = kv;
    this.store = store;
    this.clock = clock;
    this.tenantIds = new KvIdAllocator(kv, MetaKeys.counter("tenant"), 1);
    this.tokenIds = new KvIdAllocator(kv, MetaKeys.counter("token"), 1);
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

  /**
   * Creates the system tenant and its first admin token when they do not exist yet; returns that
   * token, or empty when the cluster was bootstrapped before.
   */
  public Optional<IssuedToken> bootstrap() {
    boolean created =
        tx(
            tx -> {
              if (tx.get(MetaKeys.tenant(Tenant.SYSTEM_ID)) != null) {
                return false;
              }
              insertTenant(tx, Tenant.SYSTEM_ID, "system", Quota.UNLIMITED, List.of(), 1);
              return true;
            });
    return created ? Optional.of(issueToken(Tenant.SYSTEM_ID, 0, 0)) : Optional.empty();
  }

  public Tenant createTenant(
      String name, Quota quota, List<Integer> chainTableIds, int defaultStripeSize) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw MetaException.invalid(
          "tenant name '" + name + "' must be 1-63 of a-z, 0-9, '-', '_', starting alnum");
    }
    if (defaultStripeSize < 0) {
      throw MetaException.invalid("default stripe size cannot be negative");
    }
    for (int table : chainTableIds) {
      if (table <= 0) {
        throw MetaException.invalid("chain table ids are positive, got " + table);
      }
    }
    long id = tenantIds.next();
    if (id > InodeIds.MAX_TENANT_ID) {
      throw MetaException.invalid(
          "tenant ids are used up: inode ids carry the tenant id, at most "
              + InodeIds.MAX_TENANT_ID
              + " tenants can ever be created");
    }
    return tx(
        tx -> {
          if (tx.get(MetaKeys.tenantName(name)) != null) {
            throw new MetaException(
                MetaErrorCode.ALREADY_EXISTS, "tenant " + name + " already exists");
          }
          return insertTenant(
              tx, id, name, quota, List.copyOf(chainTableIds), Math.max(defaultStripeSize, 1));
        });
  }

  private Tenant insertTenant(
      KvTransaction tx, long id, String name, Quota quota, List<Integer> tables, int stripe) {
    long rootId = store.newInodeId(id);
    long now = clock.millis() * 1_000_000L;
    Inode root =
        new Inode(id, rootId, InodeType.DIRECTORY, 0755, 0, 0, 2, 0, now, now, rootId, null, null);
    Tenant tenant = new Tenant(id, name, quota, tables, stripe, rootId);
    tx.set(MetaKeys.tenant(id), ValueCodec.tenant(tenant));
    tx.set(MetaKeys.tenantName(name), Keys.u64(id));
    tx.set(MetaKeys.inode(id, rootId), ValueCodec.inode(root));
    return tenant;
  }

  public List<MetaStore.TenantStatus> list() {
    return tx(
        tx -> {
          List<MetaStore.TenantStatus> all = new ArrayList<>();
          byte[] prefix = MetaKeys.tenantPrefix();
          for (KeyValue kv : tx.getRange(prefix, Keys.prefixEnd(prefix), 100_000).entries()) {
            Tenant t = ValueCodec.tenant(kv.value());
            all.add(new MetaStore.TenantStatus(t, MetaStore.usage(tx.snapshot(), t.id())));
          }
          return all;
        });
  }

  public MetaStore.TenantStatus get(long tenantId) {
    return tx(
        tx -> {
          Tenant t = find(tx, tenantId);
          return new MetaStore.TenantStatus(t, MetaStore.usage(tx.snapshot(), t.id()));
        });
  }

  /** Sets a new quota; usage above it stays, but nothing may grow until usage is below it. */
  public Tenant setQuota(long tenantId, Quota quota) {
    return tx(
        tx -> {
          Tenant updated = find(tx, tenantId).withQuota(quota);
          tx.set(MetaKeys.tenant(tenantId), ValueCodec.tenant(updated));
          return updated;
        });
  }

  /** A deleted tenant: its tokens revoked, what it held removed or handed to the GC. */
  public record DeletedTenant(
      Tenant tenant, long filesHandedToGc, long kvEntriesRemoved, List<Long> tokensRevoked) {
    public DeletedTenant {
      tokensRevoked = List.copyOf(tokensRevoked);
    }
  }

  private static final int PURGE_BATCH = 500;

  /**
   * Deletes a tenant (docs/meta.md, "Deleting a tenant"). One transaction checks {@link
   * TenantDeletion}'s rule, revokes every token of the tenant and removes its record and name,
   * leaving a purge marker: from its commit on, every meta call of the tenant fails (each reads the
   * tenant record), including calls already under way. Then its namespace and KV index are removed
   * in batches, every file's chunks handed to the GC (KV slab files too), and the marker goes last.
   * A purge cut short (a crash) is finished by {@link #resumePurges()}.
   *
   * @throws MetaException NOT_EMPTY when the rule refuses, NOT_FOUND for an unknown tenant
   */
  public DeletedTenant deleteTenant(long tenantId, boolean purge) {
    record Started(Tenant tenant, List<Long> revoked) {}
    Started started =
        tx(
            tx -> {
              Tenant t = find(tx, tenantId);
              TenantDeletion.Contents contents =
                  new TenantDeletion.Contents(hasUserFiles(tx, t), hasKvEntries(tx, t.id()));
              TenantDeletion.refusal(t, contents, purge)
                  .ifPresent(
                      why -> {
                        throw new MetaException(
                            t.id() == Tenant.SYSTEM_ID
                                ? MetaErrorCode.INVALID_ARGUMENT
                                : MetaErrorCode.NOT_EMPTY,
                            why);
                      });
              List<Long> revoked = new ArrayList<>();
              long now = clock.millis();
              byte[] tokens = MetaKeys.tokenPrefix();
              for (KeyValue row :
                  tx.getRange(tokens, Keys.prefixEnd(tokens), 1_000_000).entries()) {
                TokenRecord r = ValueCodec.token(row.value());
                if (r.tenantId() == t.id() && r.validAt(now)) {
                  tx.set(row.key(), ValueCodec.token(r.revokedNow()));
                  RevocationLog.append(tx, r.tokenId());
                  revoked.add(r.tokenId());
                }
              }
              tx.clear(MetaKeys.tenant(t.id()));
              tx.clear(MetaKeys.tenantName(t.name()));
              tx.set(MetaKeys.purge(t.id()), Keys.u64(t.rootInodeId()));
              return new Started(t, revoked);
            });
    long[] removed = purgeContents(tenantId);
    return new DeletedTenant(started.tenant(), removed[0], removed[1], started.revoked());
  }

  /** Finishes purges that a crash cut short; returns how many tenants it finished. */
  public int resumePurges() {
    byte[] prefix = MetaKeys.purgePrefix();
    List<KeyValue> pending =
        tx(tx -> tx.getRange(prefix, Keys.prefixEnd(prefix), 100_000).entries());
    for (KeyValue row : pending) {
      purgeContents(Keys.readU64(row.key(), prefix.length));
    }
    return pending.size();
  }

  private static boolean hasUserFiles(KvTransaction tx, Tenant t) {
    byte[] children = MetaKeys.dentryPrefix(t.id(), t.rootInodeId());
    for (KeyValue row : tx.getRange(children, Keys.prefixEnd(children), 2).entries()) {
      if (!MetaKeys.dentryName(row.key()).equals(KvIndexStore.SLAB_DIR)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasKvEntries(KvTransaction tx, long tenant) {
    byte[] entries = KvKeys.prefix(tenant, KvKeys.ENTRY);
    return !tx.getRange(entries, Keys.prefixEnd(entries), 1).entries().isEmpty();
  }

  /**
   * Removes a deleted tenant's namespace and KV index in batches: files become GC tasks that remove
   * their chunks and then their inodes; everything else is cleared. Returns {files, KV entries}.
   */
  private long[] purgeContents(long tenant) {
    long files = 0;
    byte[] inodes = MetaKeys.inodePrefix(tenant);
    byte[] from = inodes;
    while (from != null) {
      byte[] begin = from;
      long[] batch = {0};
      from =
          tx(
              tx -> {
                batch[0] = 0;
                var rows = tx.getRange(begin, Keys.prefixEnd(inodes), PURGE_BATCH);
                byte[] last = null;
                for (KeyValue row : rows.entries()) {
                  last = row.key();
                  Inode inode = ValueCodec.inode(row.value());
                  if (inode.isFile() && inode.layout() != null) {
                    MetaStore.enqueueGc(
                        tx,
                        new GcTask(
                            new ChunkRemoval(tenant, inode.id(), inode.layout(), 0, inode.length()),
                            true));
                    batch[0]++;
                  } else {
                    tx.clear(row.key());
                  }
                }
                return rows.more() && last != null ? Keys.concat(last, new byte[] {0}) : null;
              });
      files += batch[0];
    }
    byte[] kv = KvKeys.prefix(tenant, KvKeys.ENTRY);
    long entries = 0;
    byte[] next = kv;
    while (next != null) {
      byte[] begin = next;
      long[] counted = {0};
      next =
          tx(
              tx -> {
                var rows = tx.snapshot().getRange(begin, Keys.prefixEnd(kv), 10_000);
                counted[0] = rows.entries().size();
                return rows.more() && !rows.entries().isEmpty()
                    ? Keys.concat(rows.entries().getLast().key(), new byte[] {0})
                    : null;
              });
      entries += counted[0];
    }
    tx(
        tx -> {
          // Sessions go too: the GC waits for a file's open write sessions, and none will close.
          byte[] namespace = MetaKeys.namespacePrefix(tenant);
          byte[] inodeEnd = Keys.prefixEnd(inodes);
          tx.clearRange(namespace, inodes);
          tx.clearRange(inodeEnd, Keys.prefixEnd(namespace));
          byte[] index = KvKeys.prefix(tenant, (byte) 0);
          byte[] indexAll = java.util.Arrays.copyOf(index, index.length - 1);
          tx.clearRange(indexAll, Keys.prefixEnd(indexAll));
          tx.clear(MetaKeys.purge(tenant));
          return null;
        });
    return new long[] {files, entries};
  }

  private static Tenant find(KvTransaction tx, long tenantId) {
    byte[] value = tx.get(MetaKeys.tenant(tenantId));
    if (value == null) {
      throw MetaException.notFound("tenant " + tenantId);
    }
    return ValueCodec.tenant(value);
  }

  public IssuedToken issueToken(long tenantId, int uid, int gid) {
    if (uid < 0 || gid < 0) {
      throw MetaException.invalid("uid and gid cannot be negative");
    }
    long tokenId = tokenIds.next();
    byte[] secret = TokenSecrets.randomBytes(32);
    byte[] salt = TokenSecrets.randomBytes(16);
    TokenRecord record =
        new TokenRecord(
            tokenId,
            tenantId,
            uid,
            gid,
            salt,
            TokenSecrets.hash(salt, secret),
            clock.millis(),
            0,
            false);
    tx(
        tx -> {
          find(tx, tenantId);
          tx.set(MetaKeys.token(tokenId), ValueCodec.token(record));
          return null;
        });
    return new IssuedToken(tokenId, tenantId, TokenSecrets.format(tokenId, secret));
  }

  /**
   * Issues a replacement for {@code tokenId} with the same identity; the old token stays valid for
   * {@code graceSeconds} (0: revoked now), so clients can switch without failing calls.
   */
  public IssuedToken rotateToken(long tokenId, int graceSeconds) {
    if (graceSeconds < 0) {
      throw MetaException.invalid("grace cannot be negative");
    }
    TokenRecord old = tx(tx -> findToken(tx, tokenId));
    if (!old.validAt(clock.millis())) {
      throw MetaException.invalid("token " + tokenId + " is revoked or expired");
    }
    IssuedToken replacement = issueToken(old.tenantId(), old.uid(), old.gid());
    tx(
        tx -> {
          TokenRecord current = findToken(tx, tokenId);
          TokenRecord ended =
              graceSeconds == 0
                  ? current.revokedNow()
                  : current.expiringAt(clock.millis() + graceSeconds * 1000L);
          tx.set(MetaKeys.token(tokenId), ValueCodec.token(ended));
          RevocationLog.append(tx, tokenId);
          return null;
        });
    return replacement;
  }

  public void revokeToken(long tokenId) {
    tx(
        tx -> {
          tx.set(MetaKeys.token(tokenId), ValueCodec.token(findToken(tx, tokenId).revokedNow()));
          RevocationLog.append(tx, tokenId);
          return null;
        });
  }

  private static TokenRecord findToken(KvTransaction tx, long tokenId) {
    byte[] value = tx.get(MetaKeys.token(tokenId));
    if (value == null) {
      throw MetaException.notFound("token " + tokenId);
    }
    return ValueCodec.token(value);
  }

  /** The identity a token stands for, or UNAUTHENTICATED. Reads the store on every call. */
  public Principal verify(String token) {
    TokenSecrets.Parsed parsed = TokenSecrets.parse(token);
    if (parsed == null) {
      throw new MetaException(MetaErrorCode.UNAUTHENTICATED, "malformed token");
    }
    TokenRecord record =
        tx(
            tx -> {
              byte[] value = tx.snapshot().get(MetaKeys.token(parsed.tokenId()));
              return value == null ? null : ValueCodec.token(value);
            });
    if (record == null || !TokenSecrets.matches(record, parsed.secret())) {
      throw new MetaException(MetaErrorCode.UNAUTHENTICATED, "unknown token");
    }
    if (!record.validAt(clock.millis())) {
      throw new MetaException(MetaErrorCode.UNAUTHENTICATED, "token is revoked or expired");
    }
    return new Principal(
        record.tenantId(),
        record.uid(),
        record.gid(),
        record.tokenId(),
        record.tenantId() == Tenant.SYSTEM_ID,
        record.expiresAtMillis());
  }
}
