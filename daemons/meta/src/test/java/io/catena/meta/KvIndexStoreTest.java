package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.catena.kv.KvEngines;
import io.catena.meta.KvIndexStore.CommitItem;
import io.catena.meta.KvIndexStore.Location;
import io.catena.meta.KvIndexStore.Outcome;
import io.catena.meta.KvIndexStore.Policy;
import io.catena.meta.KvIndexStore.ReserveItem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The KV index over a memory engine with a hand-driven clock. */
class KvIndexStoreTest {

  static final long V = 4096;

  static final class Clock implements InstantSource {
    final AtomicLong ms = new AtomicLong(1_000_000);

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(ms.get());
    }

    void advance(long by) {
      ms.addAndGet(by);
    }
  }

  final Clock clock = new Clock();
  MetaFixtureWithClock fx;
  KvIndexStore kv;
  Principal alice;
  long session;

  /** A meta node whose KV index uses {@link #clock}, 10 s leases and small slab files. */
  static final class MetaFixtureWithClock implements AutoCloseable {
    final MetaNode node;
    final io.catena.kv.KvEngine engine = KvEngines.open("memory:");

    MetaFixtureWithClock(InstantSource clock) {
      InMemoryChainTableCatalog catalog = new InMemoryChainTableCatalog();
      catalog.put(new ChainTable(1, 1, List.of(1, 2, 3, 4)));
      node =
          new MetaNode(
              engine,
              catalog,
              r -> {},
              clock,
              Duration.ofSeconds(5),
              new KvIndexStore.Config(
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(30),
                  new KvSlabGeometry(16 * V, 4 * V),
                  4096));
    }

    Principal tenant(String name, Quota quota) {
      Tenant t = node.tenants().createTenant(name, quota, List.of(1), 2);
      return new Principal(t.id(), 0, 0, 0, false);
    }

    @Override
    public void close() {
      node.close();
      engine.close();
    }
  }

  @BeforeEach
  void start() {
    fx = new MetaFixtureWithClock(clock);
    kv = fx.node.kvIndex();
    alice = fx.tenant("alice", Quota.UNLIMITED);
    session = kv.openSession(alice, 0).id();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<byte[]> keys(String... names) {
    return java.util.Arrays.stream(names).map(KvIndexStoreTest::k).toList();
  }

  Location reserve(Principal who, long sess, String key, String prev) {
    KvIndexStore.Placed p =
        kv.reserve(who, sess, List.of(new ReserveItem(k(key), V, k(prev), 0)), false);
    assertThat(p.results().getFirst().outcome()).as("reserve " + key).isEqualTo(Outcome.OK);
    assertThat(p.slabs()).containsKey(p.results().getFirst().location().slab());
    return p.results().getFirst().location();
  }

  Location put(String key, String prev) {
    Location l = reserve(alice, session, key, prev);
    assertThat(kv.commit(alice, session, List.of(new CommitItem(k(key), 42))))
        .containsExactly(Outcome.OK);
    return l;
  }

  Location put(String key) {
    return put(key, "");
  }

  @Test
  void aReservedKeyIsInvisibleUntilCommitted() {
    Location l = reserve(alice, session, "a", "");
    assertThat(kv.exists(alice, keys("a"))).isZero();
    assertThat(kv.lookup(alice, keys("a"), false).results().getFirst().outcome())
        .isEqualTo(Outcome.NOT_FOUND);
    assertThat(kv.stats(alice).entries()).isZero();

    assertThat(kv.commit(alice, session, List.of(new CommitItem(k("a"), 7))))
        .containsExactly(Outcome.OK);
    KvIndexStore.Found found = kv.lookup(alice, keys("a"), false);
    assertThat(found.results().getFirst().outcome()).isEqualTo(Outcome.OK);
    assertThat(found.results().getFirst().location())
        .isEqualTo(new Location(l.slab(), l.offset(), V, 7));
    assertThat(found.slabs().get(l.slab()).path()).startsWith("/.catena-kv/s4096-");
    assertThat(kv.exists(alice, keys("a"))).isEqualTo(1);
    // a second commit finds nothing reserved
    assertThat(kv.commit(alice, session, List.of(new CommitItem(k("a"), 7))))
        .containsExactly(Outcome.NOT_RESERVED);
  }

  @Test
  void aCommittedKeyIsNotReservedAgainUnlessOverwriting() {
    put("a");
    assertThat(
            kv.reserve(alice, session, List.of(new ReserveItem(k("a"), V, new byte[0], 0)), false)
                .results()
                .getFirst()
                .outcome())
        .isEqualTo(Outcome.EXISTS);
    assertThat(
            kv.reserve(alice, session, List.of(new ReserveItem(k("a"), 100, new byte[0], 0)), true)
                .results()
                .getFirst()
                .outcome())
        .isEqualTo(Outcome.OK);
    assertThat(kv.exists(alice, keys("a"))).isZero();
  }

  @Test
  void anotherLiveSessionsReservationIsBusyAndAnExpiredOnesIsReclaimed() {
    long bob = kv.openSession(alice, 1000).id();
    reserve(alice, bob, "a", "");
    assertThat(
            kv.reserve(alice, session, List.of(new ReserveItem(k("a"), V, new byte[0], 0)), false)
                .results()
                .getFirst()
                .outcome())
        .isEqualTo(Outcome.BUSY);
    assertThat(kv.stats(alice).slotBytes()).isEqualTo(V);

    clock.advance(1001);
    assertThatThrownBy(() -> kv.commit(alice, bob, List.of(new CommitItem(k("a"), 1))))
        .isInstanceOf(MetaException.class)
        .extracting(e -> ((MetaException) e).code())
        .isEqualTo(MetaErrorCode.NO_SESSION);
    KvIndexStore.Reaped reaped = kv.reap();
    assertThat(reaped.sessions()).isEqualTo(1);
    assertThat(reaped.reservations()).isEqualTo(1);
    assertThat(kv.stats(alice).slotBytes()).isZero();
    assertThat(kv.stats(alice).reclaimedReservations()).isEqualTo(1);
    put("a");
    assertThat(kv.exists(alice, keys("a"))).isEqualTo(1);
  }

  @Test
  void closingASessionReleasesItsReservations() {
    reserve(alice, session, "a", "");
    reserve(alice, session, "b", "");
    assertThat(kv.closeSession(alice, session)).isEqualTo(2);
    assertThat(kv.stats(alice).slotBytes()).isZero();
    assertThatThrownBy(() -> kv.keepAlive(alice, session, 0)).isInstanceOf(MetaException.class);
  }

  @Test
  void keepAliveExtendsASession() {
    long s = kv.openSession(alice, 1000).id();
    clock.advance(800);
    kv.keepAlive(alice, s, 0);
    clock.advance(800);
    assertThat(kv.reap().sessions()).isZero();
    reserve(alice, s, "a", "");
  }

  @Test
  void batchExistsCountsTheLeadingRunOfCommittedKeys() {
    put("a");
    put("c");
    reserve(alice, session, "b2", "");
    assertThat(kv.exists(alice, keys())).isZero();
    assertThat(kv.exists(alice, keys("a"))).isEqualTo(1);
    assertThat(kv.exists(alice, keys("a", "b", "c"))).isEqualTo(1);
    assertThat(kv.exists(alice, keys("b", "a", "c"))).isZero();
    assertThat(kv.exists(alice, keys("a", "c", "b2"))).isEqualTo(2);
    assertThat(kv.exists(alice, keys("a", "c", "a"))).isEqualTo(3);
    // a prefix lookup stops at the first miss too
    assertThat(kv.lookup(alice, keys("a", "c", "x", "a"), true).results()).hasSize(2);
  }

  @Test
  void aSlotUnderAReadLeaseIsNotReusedUntilTheLeaseEnds() {
    Location a = put("a");
    KvIndexStore.Found lease = kv.lookup(alice, keys("a"), false);
    assertThat(lease.leaseUntilMs()).isEqualTo(clock.millis() + 10_000);
    assertThat(kv.delete(alice, keys("a"))).containsExactly(Outcome.OK);
    Location b = put("b");
    assertThat(b).isNotEqualTo(a);
    assertThat(new long[] {b.slab(), b.offset()}).isNotEqualTo(new long[] {a.slab(), a.offset()});

    clock.advance(10_001);
    Location c = put("c");
    assertThat(c.slab()).isEqualTo(a.slab());
    assertThat(c.offset()).isEqualTo(a.offset());
  }

  @Test
  void anUnleasedFreedSlotIsReusedAtOnce() {
    Location a = put("a");
    kv.delete(alice, keys("a"));
    Location b = put("b");
    assertThat(b.slab()).isEqualTo(a.slab());
    assertThat(b.offset()).isEqualTo(a.offset());
  }

  @Test
  void evictionKeepsLeasedSlotsFromReuse() {
    kv.setPolicy(alice, new Policy(4 * V, 100, 80, 0));
    Location a = put("a");
    Location b = put("b");
    put("c");
    put("d");
    kv.lookup(alice, keys("a", "b"), false);
    clock.advance(1);
    kv.lookup(alice, keys("c", "d"), false);
    clock.advance(1);
    // capacity full: e evicts down to 80% (a and b, least recently used), both still leased
    Location e = put("e");
    assertThat(kv.exists(alice, keys("a"))).isZero();
    assertThat(kv.exists(alice, keys("b"))).isZero();
    assertThat(kv.exists(alice, keys("c", "d", "e"))).isEqualTo(3);
    assertThat(kv.stats(alice).evictions()).isEqualTo(2);
    assertThat(e.offset()).isNotIn(a.offset(), b.offset());
    clock.advance(10_000);
    Location f = put("f");
    assertThat(f.offset()).isIn(a.offset(), b.offset());
  }

  @Test
  void evictionTakesChainTailsBeforeHeadsThenTheLeastRecentlyUsed() {
    // one eviction per put once full: the order is observable
    kv.setPolicy(alice, new Policy(5 * V, 100, 100, 0));
    put("a");
    clock.advance(1);
    put("b", "a");
    clock.advance(1);
    put("c", "b");
    clock.advance(1);
    put("x");
    clock.advance(1);
    kv.lookup(alice, keys("a"), false);
    clock.advance(1);
    List<String> order = new ArrayList<>();
    List<String> live = new ArrayList<>(List.of("a", "b", "c", "x"));
    for (String next : List.of("n1", "n2", "n3", "n4", "n5")) {
      put(next);
      clock.advance(1);
      live.add(next);
      for (String key : List.copyOf(live)) {
        if (kv.exists(alice, keys(key)) == 0) {
          order.add(key);
          live.remove(key);
        }
      }
    }
    // the head a was used last of all but goes only after its tails: c, b; x is older than a
    assertThat(order).containsExactly("c", "b", "x", "a");
  }

  @Test
  void whenOnlyReservationsHoldTheCapacityAPutFindsNoSpace() {
    kv.setPolicy(alice, new Policy(2 * V, 100, 50, 0));
    reserve(alice, session, "a", "");
    reserve(alice, session, "b", "");
    assertThat(
            kv.reserve(alice, session, List.of(new ReserveItem(k("c"), V, new byte[0], 0)), false)
                .results()
                .getFirst()
                .outcome())
        .isEqualTo(Outcome.NO_SPACE);
  }

  @Test
  void slabFilesAreTheTenantsFilesAndCountAgainstItsByteQuota() {
    Principal small = fx.tenant("small", new Quota(8 * V, 0));
    long s = kv.openSession(small, 0).id();
    // capacity defaults to the quota; extents are a sixteenth of it (at least one slot)
    for (int i = 0; i < 7; i++) {
      reserve(small, s, "k" + i, "");
      kv.commit(small, s, List.of(new CommitItem(k("k" + i), 0)));
    }
    KvIndexStore.Stats stats = kv.stats(small);
    assertThat(stats.effectiveCapacity()).isEqualTo(8 * V);
    assertThat(stats.slabBytes()).isEqualTo(7 * V);
    assertThat(fx.node.store().whoAmI(small).usage().bytes()).isEqualTo(7 * V);
    assertThat(fx.node.store().stat(small, "/.catena-kv/s4096-0").length()).isEqualTo(7 * V);
  }

  @Test
  void aKeyPastItsTtlVanishesAndIsReaped() {
    kv.reserve(alice, session, List.of(new ReserveItem(k("t"), V, new byte[0], 1000)), false);
    kv.commit(alice, session, List.of(new CommitItem(k("t"), 0)));
    assertThat(kv.exists(alice, keys("t"))).isEqualTo(1);
    clock.advance(1000);
    assertThat(kv.exists(alice, keys("t"))).isZero();
    assertThat(kv.reap().expired()).isEqualTo(1);
    assertThat(kv.stats(alice).entries()).isZero();
    assertThat(kv.stats(alice).slotBytes()).isZero();
  }

  @Test
  void aTenantSeesOnlyItsOwnKeys() {
    put("a");
    Principal bob = fx.tenant("bob", Quota.UNLIMITED);
    assertThat(kv.exists(bob, keys("a"))).isZero();
    assertThat(kv.delete(bob, keys("a"))).containsExactly(Outcome.NOT_FOUND);
    assertThat(kv.exists(alice, keys("a"))).isEqualTo(1);
  }

  @Test
  void spaceUtilisationOfUniformValuesAtSteadyState() {
    kv.setPolicy(alice, new Policy(64 * V, 95, 90, 0));
    long length = V - 100;
    for (int i = 0; i < 500; i++) {
      kv.reserve(
          alice, session, List.of(new ReserveItem(k("u" + i), length, new byte[0], 0)), false);
      kv.commit(alice, session, List.of(new CommitItem(k("u" + i), 0)));
      clock.advance(1);
    }
    KvIndexStore.Stats s = kv.stats(alice);
    assertThat(s.slabBytes()).isLessThanOrEqualTo(64 * V);
    assertThat((double) s.valueBytes() / s.slabBytes()).isGreaterThan(0.85);
  }

  @Test
  void refusesBadInput() {
    assertThatThrownBy(() -> kv.exists(alice, List.of(new byte[0])))
        .isInstanceOf(MetaException.class);
    assertThatThrownBy(
            () ->
                kv.reserve(
                    alice, session, List.of(new ReserveItem(k("a"), 0, new byte[0], 0)), false))
        .isInstanceOf(MetaException.class);
    assertThatThrownBy(() -> kv.setPolicy(alice, new Policy(0, 50, 90, 0)))
        .isInstanceOf(MetaException.class);
    Principal user = new Principal(alice.tenantId(), 1000, 1000, 0, false);
    assertThatThrownBy(() -> kv.setPolicy(user, Policy.DEFAULTS))
        .isInstanceOf(MetaException.class)
        .extracting(e -> ((MetaException) e).code())
        .isEqualTo(MetaErrorCode.PERMISSION_DENIED);
  }
}
