package io.catena.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every KvEngine backend must show: FoundationDB's semantics. Each backend's test
 * class extends this and says how to open its engine. Every key a test writes starts with a fresh
 * prefix, so the suite can run against a shared FoundationDB cluster.
 */
public abstract class KvEngineConformance {

  protected KvEngine engine;
  private byte[] prefix;

  /** An engine for one test; closed after it unless {@link #closeAfterEachTest()} is false. */
  protected abstract KvEngine openEngine() throws Exception;

  protected boolean closeAfterEachTest() {
    return true;
  }

  @BeforeEach
  void open() throws Exception {
    engine = openEngine();
    prefix = ("conformance/" + UUID.randomUUID() + "/").getBytes(UTF_8);
  }

  @AfterEach
  void cleanUp() {
    if (engine == null) {
      return;
    }
    engine.run(
        tx -> {
          tx.clearRange(prefix, Keys.prefixEnd(prefix));
          return null;
        });
    if (closeAfterEachTest()) {
      engine.close();
    }
  }

  protected byte[] k(String name) {
    return Keys.concat(prefix, name.getBytes(UTF_8));
  }

  private static byte[] v(String value) {
    return value.getBytes(UTF_8);
  }

  private static String s(byte[] value) {
    return value == null ? null : new String(value, UTF_8);
  }

  private void put(String key, String value) {
    engine.run(
        tx -> {
          tx.set(k(key), v(value));
          return null;
        });
  }

  private String read(String key) {
    return engine.run(tx -> s(tx.get(k(key))));
  }

  private List<String> keysOf(RangeResult r) {
    List<String> names = new ArrayList<>();
    for (KeyValue kv : r.entries()) {
      names.add(new String(kv.key(), prefix.length, kv.key().length - prefix.length, UTF_8));
    }
    return names;
  }

  @Test
  void aLazyCommitIsSeenByLaterTransactionsAndConflictsLikeAnyOther() {
    put("lazy", "0");
    engine.runLazily(
        tx -> {
          tx.set(k("lazy"), v("1"));
          return null;
        });
    assertThat(read("lazy")).isEqualTo("1");
    KvTransaction stale = engine.begin();
    stale.get(k("lazy"));
    stale.set(k("other"), v("x"));
    engine.runLazily(
        tx -> {
          tx.set(k("lazy"), v("2"));
          return null;
        });
    assertThatThrownBy(stale::commitLazily).isInstanceOf(KvConflictException.class);
    stale.close();
    assertThat(read("other")).isNull();
  }

  @Test
  void setGetAndClear() {
    put("a", "1");
    assertThat(read("a")).isEqualTo("1");
    assertThat(read("missing")).isNull();
    engine.run(
        tx -> {
          tx.clear(k("a"));
          return null;
        });
    assertThat(read("a")).isNull();
  }

  @Test
  void rangeReadsAreOrderedPagedAndReversible() {
    engine.run(
        tx -> {
          for (int i = 24; i >= 0; i--) {
            tx.set(k(String.format("r%02d", i)), v("v" + i));
          }
          tx.set(k("s"), v("outside"));
          return null;
        });
    byte[] begin = k("r");
    byte[] end = Keys.prefixEnd(k("r"));
    List<String> forward = new ArrayList<>();
    byte[] from = begin;
    int pages = 0;
    while (true) {
      byte[] start = from;
      RangeResult page = engine.run(tx -> tx.getRange(start, end, 10));
      forward.addAll(keysOf(page));
      pages++;
      if (!page.more()) {
        break;
      }
      from = Keys.after(page.last().key());
    }
    assertThat(pages).isEqualTo(3);
    assertThat(forward).hasSize(25).isSorted().startsWith("r00").endsWith("r24");

    RangeResult lastFive = engine.run(tx -> tx.getRange(begin, end, 5, true));
    assertThat(keysOf(lastFive)).containsExactly("r24", "r23", "r22", "r21", "r20");
    assertThat(lastFive.more()).isTrue();
    RangeResult rest = engine.run(tx -> tx.getRange(begin, lastFive.last().key(), 100, true));
    assertThat(keysOf(rest)).hasSize(20).startsWith("r19").endsWith("r00");
    assertThat(rest.more()).isFalse();
  }

  @Test
  void clearRangeRemovesExactlyTheHalfOpenRange() {
    engine.run(
        tx -> {
          for (String name : List.of("a", "b", "c", "d")) {
            tx.set(k(name), v(name));
          }
          return null;
        });
    engine.run(
        tx -> {
          tx.clearRange(k("b"), k("d"));
          return null;
        });
    RangeResult all = engine.run(tx -> tx.getRange(k(""), k("z"), 100));
    assertThat(keysOf(all)).containsExactly("a", "d");
  }

  @Test
  void aTransactionSeesItsOwnWritesAndOthersDoNotUntilCommit() {
    put("b", "old");
    put("c", "old");
    try (KvTransaction tx = engine.begin()) {
      tx.set(k("a"), v("new"));
      tx.clear(k("b"));
      tx.clearRange(k("c"), k("d"));
      tx.set(k("c2"), v("after-clear"));
      assertThat(s(tx.get(k("a")))).isEqualTo("new");
      assertThat(tx.get(k("b"))).isNull();
      assertThat(tx.get(k("c"))).isNull();
      assertThat(keysOf(tx.getRange(k(""), k("z"), 100))).containsExactly("a", "c2");
      assertThat(keysOf(tx.getRange(k(""), k("z"), 100, true))).containsExactly("c2", "a");
      assertThat(read("a")).isNull();
      assertThat(read("b")).isEqualTo("old");
      tx.commit();
    }
    assertThat(read("a")).isEqualTo("new");
    assertThat(read("b")).isNull();
    assertThat(read("c")).isNull();
    assertThat(read("c2")).isEqualTo("after-clear");
  }

  @Test
  void aTransactionReadsOneConsistentSnapshot() {
    put("x", "1");
    try (KvTransaction reader = engine.begin()) {
      assertThat(s(reader.get(k("x")))).isEqualTo("1");
      put("x", "2");
      put("y", "2");
      assertThat(s(reader.get(k("x")))).isEqualTo("1");
      assertThat(reader.get(k("y"))).isNull();
      reader.commit();
    }
  }

  @Test
  void writeSkewIsImpossible() {
    put("x", "on");
    put("y", "on");
    // Rule: at least one of x, y stays on. Each transaction checks both, then turns one off.
    try (KvTransaction t1 = engine.begin();
        KvTransaction t2 = engine.begin()) {
      assertThat(s(t1.get(k("x")))).isEqualTo("on");
      assertThat(s(t1.get(k("y")))).isEqualTo("on");
      assertThat(s(t2.get(k("x")))).isEqualTo("on");
      assertThat(s(t2.get(k("y")))).isEqualTo("on");
      t1.set(k("x"), v("off"));
      t2.set(k("y"), v("off"));
      t1.commit();
      assertThatThrownBy(t2::commit).isInstanceOf(KvConflictException.class);
    }
    assertThat(read("x")).isEqualTo("off");
    assertThat(read("y")).isEqualTo("on");
  }

  @Test
  void lostUpdateIsImpossible() {
    put("counter", "0");
    try (KvTransaction t1 = engine.begin();
        KvTransaction t2 = engine.begin()) {
      int c1 = Integer.parseInt(s(t1.get(k("counter"))));
      int c2 = Integer.parseInt(s(t2.get(k("counter"))));
      t1.set(k("counter"), v(Integer.toString(c1 + 1)));
      t2.set(k("counter"), v(Integer.toString(c2 + 1)));
      t2.commit();
      assertThatThrownBy(t1::commit).isInstanceOf(KvConflictException.class);
    }
    assertThat(read("counter")).isEqualTo("1");
  }

  @Test
  void concurrentIncrementsThroughTheRetryLoopAreAllCounted() throws Exception {
    put("counter", "0");
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    engine.run(
                        tx -> {
                          int c = Integer.parseInt(s(tx.get(k("counter"))));
                          tx.set(k("counter"), v(Integer.toString(c + 1)));
                          return null;
                        });
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(read("counter")).isEqualTo(Integer.toString(threads * perThread));
  }

  @Test
  void phantomInsertIntoARangeReadConflicts() {
    try (KvTransaction t1 = engine.begin()) {
      assertThat(t1.getRange(k("job/"), Keys.prefixEnd(k("job/")), 10).isEmpty()).isTrue();
      put("job/7", "queued");
      t1.set(k("summary"), v("no jobs"));
      assertThatThrownBy(t1::commit).isInstanceOf(KvConflictException.class);
    }
    assertThat(read("summary")).isNull();
  }

  @Test
  void clearRangeOverAReadKeyConflicts() {
    put("m/1", "x");
    try (KvTransaction t1 = engine.begin()) {
      assertThat(s(t1.get(k("m/1")))).isEqualTo("x");
      engine.run(
          tx -> {
            tx.clearRange(k("m/"), k("m0"));
            return null;
          });
      t1.set(k("other"), v("y"));
      assertThatThrownBy(t1::commit).isInstanceOf(KvConflictException.class);
    }
  }

  @Test
  void writesOutsideWhatWasReadDoNotConflict() {
    engine.run(
        tx -> {
          for (String name : List.of("p/a", "p/b", "p/c", "p/d", "p/e")) {
            tx.set(k(name), v("1"));
          }
          return null;
        });
    try (KvTransaction t1 = engine.begin()) {
      RangeResult page = t1.getRange(k("p/"), Keys.prefixEnd(k("p/")), 2);
      assertThat(keysOf(page)).containsExactly("p/a", "p/b");
      t1.snapshot().get(k("q"));
      put("p/y", "2");
      put("q", "2");
      put("unrelated", "2");
      t1.set(k("result"), v("ok"));
      t1.commit();
    }
    assertThat(read("result")).isEqualTo("ok");
  }

  @Test
  void snapshotReadsAndBlindWritesDoNotConflict() {
    put("x", "1");
    try (KvTransaction t1 = engine.begin()) {
      assertThat(s(t1.snapshot().get(k("x")))).isEqualTo("1");
      assertThat(t1.snapshot().getRange(k("s/"), Keys.prefixEnd(k("s/")), 10).isEmpty()).isTrue();
      put("x", "2");
      put("s/1", "2");
      t1.set(k("x"), v("3"));
      t1.commit();
    }
    assertThat(read("x")).isEqualTo("3");
  }

  @Test
  void runRetriesAConflictedAttemptInAFreshTransaction() {
    put("x", "1");
    AtomicInteger attempts = new AtomicInteger();
    String seen =
        engine.run(
            tx -> {
              String x = s(tx.get(k("x")));
              if (attempts.incrementAndGet() == 1) {
                put("x", "2");
              }
              tx.set(k("copy"), v(x));
              return x;
            });
    assertThat(attempts).hasValue(2);
    assertThat(seen).isEqualTo("2");
    assertThat(read("copy")).isEqualTo("2");
  }

  @Test
  void aFailureInTheWorkIsNotRetriedAndCommitsNothing() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                engine.run(
                    tx -> {
                      attempts.incrementAndGet();
                      tx.set(k("x"), v("1"));
                      throw new IllegalStateException("refused");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("refused");
    assertThat(attempts).hasValue(1);
    assertThat(read("x")).isNull();
  }

  @Test
  void concurrentTransfersKeepTheTotal() throws Exception {
    int accounts = 8;
    engine.run(
        tx -> {
          for (int i = 0; i < accounts; i++) {
            tx.set(k("acct/" + i), v("100"));
          }
          return null;
        });
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int i = 0; i < 40; i++) {
                    int from = random.nextInt(accounts);
                    int to = random.nextInt(accounts);
                    int amount = random.nextInt(1, 30);
                    engine.run(
                        tx -> {
                          int a = Integer.parseInt(s(tx.get(k("acct/" + from))));
                          if (a < amount || from == to) {
                            return null;
                          }
                          int b = Integer.parseInt(s(tx.get(k("acct/" + to))));
                          tx.set(k("acct/" + from), v(Integer.toString(a - amount)));
                          tx.set(k("acct/" + to), v(Integer.toString(b + amount)));
                          return null;
                        });
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    int total =
        engine.run(
            tx -> {
              int sum = 0;
              for (KeyValue kv :
                  tx.getRange(k("acct/"), Keys.prefixEnd(k("acct/")), 100).entries()) {
                int balance = Integer.parseInt(s(kv.value()));
                assertThat(balance).isNotNegative();
                sum += balance;
              }
              return sum;
            });
    assertThat(total).isEqualTo(accounts * 100);
  }

  @Test
  void idAllocatorsHandOutUniqueIncreasingIds() throws Exception {
    KvIdAllocator first = new KvIdAllocator(engine, k("ids"), 16);
    KvIdAllocator second = new KvIdAllocator(engine, k("ids"), 16);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<Long>>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        KvIdAllocator allocator = t % 2 == 0 ? first : second;
        futures.add(
            pool.submit(
                () -> {
                  List<Long> ids = new ArrayList<>();
                  for (int i = 0; i < 200; i++) {
                    ids.add(allocator.next());
                  }
                  return ids;
                }));
      }
      Set<Long> all = new HashSet<>();
      for (Future<List<Long>> f : futures) {
        List<Long> ids = f.get(5, TimeUnit.MINUTES);
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        all.addAll(ids);
        assertThat(ids).allMatch(id -> id >= 1);
      }
      assertThat(all).hasSize(threads * 200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void countersAddWithoutConflictingWithEachOther() {
    byte[] counter = k("counter");
    try (KvTransaction t1 = engine.begin();
        KvTransaction t2 = engine.begin()) {
      t1.add(counter, 5);
      t2.add(counter, -2);
      t2.add(counter, 10);
      t1.commit();
      t2.commit();
    }
    assertThat(Keys.readLe64(engine.run(tx -> tx.get(counter)))).isEqualTo(13);
  }

  @Test
  void countersReadTheirPendingAddsAndFoldIntoSetsAndClears() {
    engine.run(
        tx -> {
          tx.set(k("c1"), Keys.le64(100));
          tx.set(k("c2"), Keys.le64(7));
          return null;
        });
    engine.run(
        tx -> {
          tx.add(k("c1"), 1);
          assertThat(Keys.readLe64(tx.get(k("c1")))).isEqualTo(101);
          assertThat(tx.getRange(k("c"), k("d"), 10).entries())
              .extracting(e -> Keys.readLe64(e.value()))
              .containsExactly(101L, 7L);
          tx.clearRange(k("c2"), k("c3"));
          tx.add(k("c2"), 3);
          tx.set(k("c3"), Keys.le64(40));
          tx.add(k("c3"), 2);
          tx.add(k("c4"), -1);
          return null;
        });
    assertThat(Keys.readLe64(engine.run(tx -> tx.get(k("c1"))))).isEqualTo(101);
    assertThat(Keys.readLe64(engine.run(tx -> tx.get(k("c2"))))).isEqualTo(3);
    assertThat(Keys.readLe64(engine.run(tx -> tx.get(k("c3"))))).isEqualTo(42);
    assertThat(Keys.readLe64(engine.run(tx -> tx.get(k("c4"))))).isEqualTo(-1);
  }

  @Test
  void readingACounterConflictsWithAConcurrentAdd() {
    try (KvTransaction reader = engine.begin()) {
      assertThat(Keys.readLe64(reader.get(k("quota")))).isZero();
      engine.run(
          tx -> {
            tx.add(k("quota"), 1);
            return null;
          });
      reader.add(k("quota"), 1);
      assertThatThrownBy(reader::commit).isInstanceOf(KvConflictException.class);
    }
  }

  @Test
  void aCommittedTransactionCannotBeReused() {
    try (KvTransaction tx = engine.begin()) {
      tx.set(k("a"), v("1"));
      tx.commit();
      assertThatThrownBy(() -> tx.set(k("b"), v("2"))).isInstanceOf(RuntimeException.class);
    }
  }
}
