package io.catena.meta;

import static io.catena.meta.MetaStoreTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.catena.kv.Keys;
import io.catena.meta.KvIndexStore.CommitItem;
import io.catena.meta.KvIndexStore.Outcome;
import io.catena.meta.KvIndexStore.ReserveItem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deleting a tenant: the rule table, token revocation, and the purge handing chunks to the GC. */
class TenantDeletionTest {

  private final MetaFixture fx = new MetaFixture();
  private final MetaStore meta = fx.store();
  private final TenantRegistry registry = fx.node.tenants();

  @AfterEach
  void close() {
    fx.close();
  }

  private static final Tenant SYSTEM =
      new Tenant(Tenant.SYSTEM_ID, "system", Quota.UNLIMITED, List.of(), 1, 1);
  private static final Tenant ACME = new Tenant(7, "acme", Quota.UNLIMITED, List.of(1), 1, 2);

  private record Row(
      Tenant tenant, boolean files, boolean kvEntries, boolean purge, String refusal) {}

  @Test
  void theRuleRefusesToLoseDataUnlessPurgeIsAskedAndNeverDeletesTheSystemTenant() {
    List<Row> table =
        List.of(
            new Row(ACME, false, false, false, null),
            new Row(ACME, true, false, false, "still has files;"),
            new Row(ACME, false, true, false, "still has KV entries;"),
            new Row(ACME, true, true, false, "still has files and KV entries;"),
            new Row(ACME, true, true, true, null),
            new Row(ACME, false, false, true, null),
            new Row(SYSTEM, false, false, false, "system tenant cannot be deleted"),
            new Row(SYSTEM, true, true, true, "system tenant cannot be deleted"));
    for (Row r : table) {
      Optional<String> refusal =
          TenantDeletion.refusal(
              r.tenant(), new TenantDeletion.Contents(r.files(), r.kvEntries()), r.purge());
      if (r.refusal() == null) {
        assertThat(refusal).as("%s", r).isEmpty();
      } else {
        assertThat(refusal)
            .as("%s", r)
            .hasValueSatisfying(m -> assertThat(m).contains(r.refusal()));
      }
    }
  }

  private long putKvEntry(Principal who, String key) {
    KvIndexStore kv = fx.node.kvIndex();
    long session = kv.openSession(who, 0).id();
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    var placed = kv.reserve(who, session, List.of(new ReserveItem(k, 4096, new byte[0], 0)), false);
    assertThat(placed.results().getFirst().outcome()).isEqualTo(Outcome.OK);
    assertThat(kv.commit(who, session, List.of(new CommitItem(k, 42)))).containsExactly(Outcome.OK);
    return placed.results().getFirst().location().slab();
  }

  private boolean namespaceEmpty(long tenant) {
    byte[] ns = MetaKeys.namespacePrefix(tenant);
    byte[] index = KvKeys.prefix(tenant, KvKeys.ENTRY);
    byte[] indexAll = java.util.Arrays.copyOf(index, index.length - 1);
    return fx.kv.run(
        tx ->
            tx.getRange(ns, Keys.prefixEnd(ns), 1).entries().isEmpty()
                && tx.getRange(indexAll, Keys.prefixEnd(indexAll), 1).entries().isEmpty());
  }

  @Test
  void anEmptyTenantIsDeletedAndItsTokensStopWorkingAtOnce() {
    Tenant t = registry.createTenant("empty", Quota.UNLIMITED, List.of(1), 4);
    IssuedToken token = registry.issueToken(t.id(), 0, 0);
    assertThat(registry.verify(token.token()).tenantId()).isEqualTo(t.id());

    TenantRegistry.DeletedTenant d = registry.deleteTenant(t.id(), false);
    assertThat(d.tokensRevoked()).containsExactly(token.tokenId());
    assertThat(d.filesHandedToGc()).isZero();
    assertThat(registry.list()).noneMatch(s -> s.tenant().name().equals("empty"));
    assertFails(() -> registry.verify(token.token()), MetaErrorCode.UNAUTHENTICATED);
    assertFails(() -> registry.get(t.id()), MetaErrorCode.NOT_FOUND);
    assertThat(namespaceEmpty(t.id())).isTrue();
    // The name is free again.
    assertThat(registry.createTenant("empty", Quota.UNLIMITED, List.of(1), 4).id())
        .isNotEqualTo(t.id());
  }

  @Test
  void aTenantWithFilesIsRefusedWithoutPurgeAndPurgedWithIt() {
    Principal p = fx.tenant("files");
    IssuedToken token = registry.issueToken(p.tenantId(), 0, 0);
    meta.mkdir(p, "/d", 0755, false);
    MetaStore.Opened o = meta.create(p, "/d/f", 0644, true, LayoutRequest.DEFAULT);
    Inode f = meta.close(p, o.inode().id(), o.sessionId(), Optional.of(3L << 20));
    MetaStore.Opened open = meta.create(p, "/g", 0644, true, LayoutRequest.DEFAULT);

    assertFails(() -> registry.deleteTenant(p.tenantId(), false), MetaErrorCode.NOT_EMPTY);
    assertThat(registry.get(p.tenantId()).tenant().name()).isEqualTo("files");
    assertThat(registry.verify(token.token()).tenantId()).isEqualTo(p.tenantId());

    TenantRegistry.DeletedTenant d = registry.deleteTenant(p.tenantId(), true);
    assertThat(d.filesHandedToGc()).isEqualTo(2);
    assertThat(d.tokensRevoked()).contains(token.tokenId());
    assertFails(() -> meta.stat(p, "/d/f"), MetaErrorCode.UNAUTHENTICATED);
    assertFails(
        () -> meta.close(p, open.inode().id(), open.sessionId(), Optional.of(1L)),
        MetaErrorCode.UNAUTHENTICATED);

    assertThat(fx.node.collector().runOnce(100))
        .as("an open write session does not hold it up")
        .isEqualTo(2);
    assertThat(fx.removed)
        .anySatisfy(
            r -> {
              assertThat(r.inodeId()).isEqualTo(f.id());
              assertThat(r.removesFile()).isTrue();
              assertThat(r.endChunk()).isEqualTo(f.layout().chunkCount(3L << 20));
            });
    assertThat(namespaceEmpty(p.tenantId())).isTrue();
  }

  @Test
  void kvEntriesRefuseDeletionWithoutPurgeAndTheirSlabsGoToTheGcWithIt() {
    Principal p = fx.tenant("cache");
    long slab = putKvEntry(p, "page-1");
    putKvEntry(p, "page-2");

    assertFails(() -> registry.deleteTenant(p.tenantId(), false), MetaErrorCode.NOT_EMPTY);

    TenantRegistry.DeletedTenant d = registry.deleteTenant(p.tenantId(), true);
    assertThat(d.kvEntriesRemoved()).isEqualTo(2);
    assertThat(d.filesHandedToGc()).isPositive();
    fx.node.collector().runOnce(100);
    assertThat(fx.removed).anySatisfy(r -> assertThat(r.inodeId()).isEqualTo(slab));
    assertThat(namespaceEmpty(p.tenantId())).isTrue();
  }

  @Test
  void theSystemTenantIsNeverDeleted() {
    registry.bootstrap();
    assertFails(
        () -> registry.deleteTenant(Tenant.SYSTEM_ID, true), MetaErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void aPurgeCutShortIsFinishedOnResume() {
    Principal p = fx.tenant("halfway");
    meta.mkdir(p, "/x", 0755, false);
    // What the deleting transaction leaves if meta stops right after it: no tenant, a marker.
    Tenant t = registry.get(p.tenantId()).tenant();
    fx.kv.run(
        tx -> {
          tx.clear(MetaKeys.tenant(t.id()));
          tx.clear(MetaKeys.tenantName(t.name()));
          tx.set(MetaKeys.purge(t.id()), Keys.u64(t.rootInodeId()));
          return null;
        });
    assertThat(namespaceEmpty(t.id())).isFalse();
    assertThat(registry.resumePurges()).isEqualTo(1);
    assertThat(namespaceEmpty(t.id())).isTrue();
    assertThat(registry.resumePurges()).isZero();
  }
}
