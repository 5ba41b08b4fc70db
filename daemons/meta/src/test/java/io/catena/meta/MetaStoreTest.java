package io.catena.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetaStoreTest {

  private final MetaFixture fx = new MetaFixture();
  private final MetaStore meta = fx.store();
  private final Principal root = fx.tenant("acme");

  @AfterEach
  void close() {
    fx.close();
  }

  static void assertFails(ThrowingCallable call, MetaErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOf(MetaException.class)
        .satisfies(e -> assertThat(((MetaException) e).code()).isEqualTo(code));
  }

  private List<String> names(String dir) {
    List<String> all = new ArrayList<>();
    for (DirEntry e : meta.readDir(root, dir, "", 0).entries()) {
      all.add(e.name());
    }
    return all;
  }

  private Inode file(String path, long length) {
    MetaStore.Opened o = meta.create(root, path, 0644, true, LayoutRequest.DEFAULT);
    return meta.close(root, o.inode().id(), o.sessionId(), Optional.of(length));
  }

  @Test
  void mkdirCreatesDirectoriesAndWithParentsTheMissingOnes() {
    Inode a = meta.mkdir(root, "/a", 0750, false);
    assertThat(a.isDirectory()).isTrue();
    assertThat(a.mode()).isEqualTo(0750);
    Inode deep = meta.mkdir(root, "/a/b/c", 0700, true);
    assertThat(meta.stat(root, "/a/b/c").id()).isEqualTo(deep.id());
    assertThat(meta.stat(root, "/a/b").parentId()).isEqualTo(a.id());
    assertThat(meta.mkdir(root, "/a/b/c", 0700, true).id()).isEqualTo(deep.id());
  }

  @Test
  void mkdirErrors() {
    meta.mkdir(root, "/a", 0755, false);
    file("/f", 0);
    assertFails(() -> meta.mkdir(root, "/a", 0755, false), MetaErrorCode.ALREADY_EXISTS);
    assertFails(() -> meta.mkdir(root, "/x/y", 0755, false), MetaErrorCode.NOT_FOUND);
    assertFails(() -> meta.mkdir(root, "/f/y", 0755, true), MetaErrorCode.NOT_DIRECTORY);
    assertFails(() -> meta.mkdir(root, "/f", 0755, true), MetaErrorCode.ALREADY_EXISTS);
    assertFails(() -> meta.mkdir(root, "relative", 0755, false), MetaErrorCode.INVALID_ARGUMENT);
    assertFails(() -> meta.mkdir(root, "/a/../b", 0755, false), MetaErrorCode.INVALID_ARGUMENT);
    assertFails(
        () -> meta.mkdir(root, "/" + "n".repeat(256), 0755, false), MetaErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void createLaysTheFileOutOnTheTenantsTableAndCloseFixesTheLength() {
    MetaStore.Opened o =
        meta.create(root, "/model.kv", 0640, true, new LayoutRequest(0, 4 << 20, 3));
    FileLayout layout = o.inode().layout();
    assertThat(layout.chainTableId()).isEqualTo(1);
    assertThat(layout.chainTableVersion()).isEqualTo(1);
    assertThat(layout.chunkSize()).isEqualTo(4 << 20);
    assertThat(layout.stripeSize()).isEqualTo(3);
    assertThat(layout.chainIds())
        .hasSize(3)
        .doesNotHaveDuplicates()
        .allMatch(c -> c >= 1 && c <= 8);
    assertThat(o.sessionId()).isPositive();
    assertThat(o.inode().length()).isZero();

    Inode closed = meta.close(root, o.inode().id(), o.sessionId(), Optional.of(12_345L));
    assertThat(closed.length()).isEqualTo(12_345L);
    assertThat(meta.stat(root, "/model.kv").length()).isEqualTo(12_345L);
    assertFails(
        () -> meta.close(root, o.inode().id(), o.sessionId(), Optional.of(1L)),
        MetaErrorCode.NO_SESSION);
  }

  @Test
  void defaultLayoutUsesTheTenantsStripeAndFilesSpreadOverAllChains() {
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (int i = 0; i < 32; i++) {
      FileLayout l =
          meta.create(root, "/f" + i, 0644, true, LayoutRequest.DEFAULT).inode().layout();
      assertThat(l.stripeSize()).isEqualTo(4);
      assertThat(l.chunkSize()).isEqualTo(MetaStore.DEFAULT_CHUNK_SIZE);
      used.addAll(l.chainIds());
    }
    assertThat(used).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
  }

  @Test
  void createErrors() {
    file("/f", 0);
    meta.mkdir(root, "/d", 0755, false);
    assertFails(
        () -> meta.create(root, "/f", 0644, true, LayoutRequest.DEFAULT),
        MetaErrorCode.ALREADY_EXISTS);
    assertFails(
        () -> meta.create(root, "/d", 0644, false, LayoutRequest.DEFAULT),
        MetaErrorCode.IS_DIRECTORY);
    assertFails(
        () -> meta.create(root, "/none/f", 0644, false, LayoutRequest.DEFAULT),
        MetaErrorCode.NOT_FOUND);
    assertFails(
        () -> meta.create(root, "/g", 0644, false, new LayoutRequest(2, 0, 0)),
        MetaErrorCode.PERMISSION_DENIED);
    assertFails(
        () -> meta.create(root, "/g", 0644, false, new LayoutRequest(0, 3000, 0)),
        MetaErrorCode.INVALID_ARGUMENT);
    assertFails(
        () -> meta.create(root, "/g", 0644, false, new LayoutRequest(0, 0, 9)),
        MetaErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void createWithoutExclusiveOpensTheExistingFileForWriting() {
    Inode f = file("/f", 10);
    MetaStore.Opened again = meta.create(root, "/f", 0644, false, LayoutRequest.DEFAULT);
    assertThat(again.inode().id()).isEqualTo(f.id());
    assertThat(again.sessionId()).isPositive();
  }

  @Test
  void openReadsWithoutASessionAndWritesWithOne() {
    Inode f = file("/f", 10);
    MetaStore.Opened read = meta.open(root, "/f", false);
    assertThat(read.sessionId()).isZero();
    assertThat(read.inode().id()).isEqualTo(f.id());
    MetaStore.Opened write = meta.open(root, "/f", true);
    assertThat(write.sessionId()).isPositive();
    assertThat(meta.close(root, f.id(), write.sessionId(), Optional.empty()).length())
        .isEqualTo(10);
    meta.mkdir(root, "/d", 0755, false);
    assertFails(() -> meta.open(root, "/d", false), MetaErrorCode.IS_DIRECTORY);
    assertFails(() -> meta.open(root, "/nope", false), MetaErrorCode.NOT_FOUND);
  }

  @Test
  void openForWriteOfAFileOnARetiredChainTableIsAStaleLayout() {
    fx.catalog.put(new ChainTable(1, 2, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9)));
    file("/old", 0);
    fx.catalog.retire(1, 2);
    assertFails(() -> meta.open(root, "/old", true), MetaErrorCode.STALE_LAYOUT);
    assertThat(meta.open(root, "/old", false).inode().layout().chainTableVersion()).isEqualTo(2);
  }

  @Test
  void statByPathAndById() {
    Inode f = file("/f", 3);
    assertThat(meta.stat(root, "/f")).isEqualTo(f);
    assertThat(meta.stat(root, f.id())).isEqualTo(f);
    assertThat(meta.stat(root, "/").isDirectory()).isTrue();
    assertFails(() -> meta.stat(root, 987_654_321L), MetaErrorCode.NOT_FOUND);
    assertFails(() -> meta.stat(root, "/f/x"), MetaErrorCode.NOT_DIRECTORY);
  }

  @Test
  void readDirListsInNameOrderInPages() {
    meta.mkdir(root, "/d", 0755, false);
    for (int i = 0; i < 25; i++) {
      file(String.format("/d/f%02d", i), 0);
    }
    meta.mkdir(root, "/d/sub", 0755, false);
    List<String> seen = new ArrayList<>();
    String after = "";
    int pages = 0;
    while (true) {
      MetaStore.DirPage page = meta.readDir(root, "/d", after, 10);
      page.entries().forEach(e -> seen.add(e.name()));
      pages++;
      if (!page.more()) {
        break;
      }
      after = page.entries().getLast().name();
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(26).isSorted().contains("f00", "f24", "sub");
    assertThat(meta.readDir(root, "/d", "f24", 10).entries())
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo(InodeType.DIRECTORY));
    assertFails(() -> meta.readDir(root, "/d/f00", "", 10), MetaErrorCode.NOT_DIRECTORY);
  }

  @Test
  void renameMovesFilesAndDirectoriesAcrossDirectories() {
    meta.mkdir(root, "/a/x", 0755, true);
    meta.mkdir(root, "/b", 0755, false);
    Inode f = file("/a/x/f", 7);
    MetaStore.Renamed r = meta.rename(root, "/a/x", "/b/y");
    assertThat(r.replaced()).isFalse();
    assertThat(meta.stat(root, "/b/y/f").id()).isEqualTo(f.id());
    assertThat(meta.stat(root, "/b/y").parentId()).isEqualTo(meta.stat(root, "/b").id());
    assertFails(() -> meta.stat(root, "/a/x"), MetaErrorCode.NOT_FOUND);
    meta.rename(root, "/b/y/f", "/g");
    assertThat(names("/")).containsExactly("a", "b", "g");
    assertThat(meta.rename(root, "/g", "/g").replaced()).isFalse();
  }

  @Test
  void renameReplacesLikePosix() {
    Inode src = file("/src", 1);
    Inode old = file("/dst", 100);
    MetaStore.Renamed r = meta.rename(root, "/src", "/dst");
    assertThat(r.replaced()).isTrue();
    assertThat(meta.stat(root, "/dst").id()).isEqualTo(src.id());
    assertThat(fx.node.collector().collect(root.tenantId(), old.id())).isTrue();
    assertThat(fx.removed).anySatisfy(rm -> assertThat(rm.inodeId()).isEqualTo(old.id()));

    meta.mkdir(root, "/d1", 0755, false);
    meta.mkdir(root, "/d2", 0755, false);
    meta.rename(root, "/d1", "/d2");
    assertThat(names("/")).containsExactly("d2", "dst");

    meta.mkdir(root, "/full/x", 0755, true);
    meta.mkdir(root, "/e", 0755, false);
    assertFails(() -> meta.rename(root, "/e", "/full"), MetaErrorCode.NOT_EMPTY);
    assertFails(() -> meta.rename(root, "/e", "/dst"), MetaErrorCode.NOT_DIRECTORY);
    assertFails(() -> meta.rename(root, "/dst", "/e"), MetaErrorCode.IS_DIRECTORY);
    assertFails(() -> meta.rename(root, "/full", "/full/x/inside"), MetaErrorCode.INVALID_ARGUMENT);
    assertFails(() -> meta.rename(root, "/missing", "/z"), MetaErrorCode.NOT_FOUND);
    assertFails(() -> meta.rename(root, "/", "/z"), MetaErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void unlinkRemovesFilesAndSymlinksButNotDirectories() {
    Inode f = file("/f", 5);
    meta.symlink(root, "/l", "/f");
    meta.mkdir(root, "/d", 0755, false);
    assertThat(meta.unlink(root, "/f")).isEqualTo(f.id());
    meta.unlink(root, "/l");
    assertThat(names("/")).containsExactly("d");
    assertFails(() -> meta.unlink(root, "/d"), MetaErrorCode.IS_DIRECTORY);
    assertFails(() -> meta.unlink(root, "/f"), MetaErrorCode.NOT_FOUND);
  }

  @Test
  void rmdirRefusesNonEmptyDirectoriesAndFiles() {
    meta.mkdir(root, "/d/e", 0755, true);
    file("/f", 0);
    assertFails(() -> meta.rmdir(root, "/d"), MetaErrorCode.NOT_EMPTY);
    assertFails(() -> meta.rmdir(root, "/f"), MetaErrorCode.NOT_DIRECTORY);
    assertFails(() -> meta.rmdir(root, "/"), MetaErrorCode.INVALID_ARGUMENT);
    assertFails(() -> meta.rmdir(root, "/nope"), MetaErrorCode.NOT_FOUND);
    meta.rmdir(root, "/d/e");
    meta.rmdir(root, "/d");
    assertThat(names("/")).containsExactly("f");
  }

  @Test
  void truncateShrinksAndGrowsAndRemovesChunksPastTheNewEnd() {
    file("/f", 10L << 20);
    Inode shrunk = meta.truncate(root, "/f", (3L << 20) + 5);
    assertThat(shrunk.length()).isEqualTo((3L << 20) + 5);
    assertThat(fx.removed)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.keepLength()).isEqualTo((3L << 20) + 5);
              assertThat(r.firstRemovedChunk()).isEqualTo(4);
              assertThat(r.endChunk()).isEqualTo(10);
              assertThat(r.removesFile()).isFalse();
            });
    assertThat(meta.truncate(root, "/f", 20L << 20).length()).isEqualTo(20L << 20);
    assertThat(fx.removed).hasSize(1);
    meta.mkdir(root, "/d", 0755, false);
    assertFails(() -> meta.truncate(root, "/d", 0), MetaErrorCode.IS_DIRECTORY);
    assertFails(() -> meta.truncate(root, "/f", -1), MetaErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void symlinksStoreTheirTargetAndAreNotFollowed() {
    Inode l = meta.symlink(root, "/l", "/some/where");
    assertThat(l.type()).isEqualTo(InodeType.SYMLINK);
    assertThat(meta.readLink(root, "/l")).isEqualTo("/some/where");
    assertThat(meta.stat(root, "/l").length()).isEqualTo(11);
    file("/f", 0);
    assertFails(() -> meta.readLink(root, "/f"), MetaErrorCode.INVALID_ARGUMENT);
    assertFails(() -> meta.symlink(root, "/l", "x"), MetaErrorCode.ALREADY_EXISTS);
    assertFails(() -> meta.symlink(root, "/m", ""), MetaErrorCode.INVALID_ARGUMENT);
    assertFails(() -> meta.open(root, "/l", false), MetaErrorCode.INVALID_ARGUMENT);
    assertFails(() -> meta.stat(root, "/l/x"), MetaErrorCode.NOT_DIRECTORY);
  }

  @Test
  void permissionsFollowModeBitsForNonRootCallers() {
    meta.mkdir(root, "/private", 0700, false);
    meta.mkdir(root, "/shared", 0777, false);
    Inode readOnly = file("/shared/ro", 1);
    Principal alice = new Principal(root.tenantId(), 1000, 1000, 0, false);
    assertFails(() -> meta.readDir(alice, "/private", "", 10), MetaErrorCode.PERMISSION_DENIED);
    assertFails(
        () -> meta.create(alice, "/private/x", 0644, true, LayoutRequest.DEFAULT),
        MetaErrorCode.PERMISSION_DENIED);
    assertFails(() -> meta.mkdir(alice, "/top", 0755, false), MetaErrorCode.PERMISSION_DENIED);
    assertThat(meta.open(alice, "/shared/ro", false).inode().id()).isEqualTo(readOnly.id());
    assertFails(() -> meta.open(alice, "/shared/ro", true), MetaErrorCode.PERMISSION_DENIED);
    assertFails(() -> meta.truncate(alice, "/shared/ro", 0), MetaErrorCode.PERMISSION_DENIED);
    MetaStore.Opened mine = meta.create(alice, "/shared/mine", 0600, true, LayoutRequest.DEFAULT);
    assertThat(mine.inode().uid()).isEqualTo(1000);
  }

  @Test
  void whoAmIReportsTheTenantAndItsUsage() {
    file("/a", 100);
    meta.mkdir(root, "/d", 0755, false);
    MetaStore.TenantStatus status = meta.whoAmI(root);
    assertThat(status.tenant().name()).isEqualTo("acme");
    assertThat(status.usage()).isEqualTo(new Usage(100, 2));
  }
}
