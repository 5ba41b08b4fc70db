package io.catena.meta;

import static io.catena.meta.MetaStoreTest.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuotaAndGcTest {

  private final MetaFixture fx = new MetaFixture();
  private final MetaStore meta = fx.store();

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void inodeQuotaIsExactUnderConcurrentCreates() throws Exception {
    Principal p = fx.tenant("small", new Quota(0, 20));
    AtomicInteger created = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 10; i++) {
                    try {
                      meta.create(p, "/t" + thread + "-" + i, 0644, true, LayoutRequest.DEFAULT);
                      created.incrementAndGet();
                    } catch (MetaException e) {
                      assertThat(e.code()).isEqualTo(MetaErrorCode.QUOTA_EXCEEDED);
                      refused.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(created).hasValue(20);
    assertThat(refused).hasValue(20);
    assertThat(meta.whoAmI(p).usage().inodes()).isEqualTo(20);
    assertThat(meta.readDir(p, "/", "", 100).entries()).hasSize(20);
  }

  @Test
  void byteQuotaIsCheckedOnCloseAndTruncateAndFreedByUnlink() {
    Principal p = fx.tenant("bytes", new Quota(1000, 0));
    MetaStore.Opened a = meta.create(p, "/a", 0644, true, LayoutRequest.DEFAULT);
    meta.close(p, a.inode().id(), a.sessionId(), Optional.of(800L));
    MetaStore.Opened b = meta.create(p, "/b", 0644, true, LayoutRequest.DEFAULT);
    assertFails(
        () -> meta.close(p, b.inode().id(), b.sessionId(), Optional.of(300L)),
        MetaErrorCode.QUOTA_EXCEEDED);
    assertThat(meta.stat(p, "/b").length()).isZero();
    meta.close(p, b.inode().id(), b.sessionId(), Optional.of(200L));
    assertFails(() -> meta.truncate(p, "/a", 900), MetaErrorCode.QUOTA_EXCEEDED);
    meta.truncate(p, "/a", 100);
    assertThat(meta.whoAmI(p).usage().bytes()).isEqualTo(300);
    meta.unlink(p, "/b");
    assertThat(meta.whoAmI(p).usage()).isEqualTo(new Usage(100, 1));
  }

  @Test
  void loweringAQuotaBelowUsageStopsGrowthButNotShrinking() {
    Principal p = fx.tenant("shrink");
    meta.mkdir(p, "/a", 0755, false);
    meta.mkdir(p, "/b", 0755, false);
    fx.node.tenants().setQuota(p.tenantId(), new Quota(0, 1));
    assertFails(() -> meta.mkdir(p, "/c", 0755, false), MetaErrorCode.QUOTA_EXCEEDED);
    meta.rmdir(p, "/b");
    meta.rmdir(p, "/a");
    meta.mkdir(p, "/c", 0755, false);
  }

  @Test
  void unlinkedFilesLoseTheirChunksAndInodeThroughTheCollector() {
    Principal p = fx.tenant("gc");
    MetaStore.Opened o = meta.create(p, "/f", 0644, true, LayoutRequest.DEFAULT);
    Inode f = meta.close(p, o.inode().id(), o.sessionId(), Optional.of(5L << 20));
    meta.unlink(p, "/f");
    assertThat(meta.stat(p, f.id()).nlink()).isZero();
    assertThat(fx.node.collector().pending()).isEqualTo(1);
    assertThat(fx.node.collector().runOnce(10)).isEqualTo(1);
    assertThat(fx.removed)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.removesFile()).isTrue();
              assertThat(r.endChunk()).isEqualTo(5);
              assertThat(r.tenantId()).isEqualTo(p.tenantId());
              assertThat(r.layout()).isEqualTo(f.layout());
            });
    assertFails(() -> meta.stat(p, f.id()), MetaErrorCode.NOT_FOUND);
    assertThat(fx.node.collector().pending()).isZero();
  }

  @Test
  void aFileUnlinkedWhileOpenForWritingIsCollectedAfterItsLastClose() {
    Principal p = fx.tenant("open");
    MetaStore.Opened o = meta.create(p, "/f", 0644, true, LayoutRequest.DEFAULT);
    meta.unlink(p, "/f");
    assertThat(fx.node.collector().runOnce(10)).isZero();
    assertThat(fx.removed).isEmpty();
    meta.close(p, o.inode().id(), o.sessionId(), Optional.of(3L << 20));
    assertThat(fx.node.collector().runOnce(10)).isEqualTo(1);
    assertThat(fx.removed).singleElement().satisfies(r -> assertThat(r.endChunk()).isEqualTo(3));
  }

  @Test
  void failedRemovalsStayQueuedAndWriteOpensWaitForTruncatedChunks() {
    Principal p = fx.tenant("down");
    MetaStore.Opened o = meta.create(p, "/f", 0644, true, LayoutRequest.DEFAULT);
    meta.close(p, o.inode().id(), o.sessionId(), Optional.of(8L << 20));
    fx.storageDown.set(true);
    meta.truncate(p, "/f", 1);
    assertThat(fx.node.collector().runOnce(10)).isZero();
    assertThat(fx.node.collector().pending()).isEqualTo(1);
    assertFails(() -> meta.open(p, "/f", true), MetaErrorCode.BUSY);
    assertThat(meta.open(p, "/f", false).inode().length()).isEqualTo(1);
    fx.storageDown.set(false);
    assertThat(meta.open(p, "/f", true).sessionId()).isPositive();
    assertThat(fx.node.collector().pending()).isZero();
    assertThat(fx.removed).singleElement().satisfies(r -> assertThat(r.keepLength()).isEqualTo(1));
  }
}
