package io.catena.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvEnginesTest {

  @TempDir Path dir;

  @Test
  void opensEachBackendByUri() {
    try (KvEngine memory = KvEngines.open("memory:uri-test")) {
      assertThat(memory.uri()).isEqualTo("memory:uri-test");
    }
    try (KvEngine rocks = KvEngines.open("rocksdb:" + dir + "?fsync=false")) {
      assertThat(rocks.uri()).isEqualTo("rocksdb:" + dir + "?fsync=false");
    }
  }

  @Test
  void badUrisAreRefusedWithTheReason() {
    assertThatThrownBy(() -> KvEngines.open("/var/lib/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no scheme");
    assertThatThrownBy(() -> KvEngines.open("redis:localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown KvEngine scheme 'redis'");
    assertThatThrownBy(() -> KvEngines.open("rocksdb:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no directory");
    assertThatThrownBy(() -> KvEngines.open("rocksdb:" + dir + "?sync=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option");
  }

  @Test
  void withoutTheFoundationDbClientLibraryFdbFailsClearlyAndOthersStillWork() {
    assumeTrue(
        System.getenv("CATENA_FDB_CLUSTER_FILE") == null,
        "a FoundationDB cluster is configured here; this checks the machine without one");
    assertThatThrownBy(() -> KvEngines.open("fdb:" + dir.resolve("fdb.cluster")))
        .isInstanceOf(KvException.class)
        .satisfies(e -> assertThat(((KvException) e).retryable()).isFalse());
    try (KvEngine memory = KvEngines.open("memory:")) {
      assertThat((byte[]) memory.run(tx -> tx.get(new byte[] {1}))).isNull();
    }
  }
}
