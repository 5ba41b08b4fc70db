package io.catena.meta;

import io.catena.kv.KeyValue;
import io.catena.kv.Keys;
import io.catena.kv.KvEngine;
import io.catena.kv.KvException;
import io.catena.kv.KvIdAllocator;
import io.catena.kv.KvTransaction;
import io.catena.kv.KvWork;
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
    long rootId = store.newInodeId();
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
          return null;
        });
    return replacement;
  }

  public void revokeToken(long tokenId) {
    tx(
        tx -> {
          tx.set(MetaKeys.token(tokenId), ValueCodec.token(findToken(tx, tokenId).revokedNow()));
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
        record.tenantId() == Tenant.SYSTEM_ID);
  }
}
