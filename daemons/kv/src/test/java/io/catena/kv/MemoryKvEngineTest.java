package io.catena.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MemoryKvEngineTest extends KvEngineConformance {

  @Override
  protected KvEngine openEngine() {
    return KvEngines.open("memory:");
  }

  @Test
  void handlesOfOneNamedStoreShareItsData() {
    byte[] key = "shared".getBytes(StandardCharsets.UTF_8);
    try (KvEngine a = KvEngines.open("memory:conformance-shared");
        KvEngine b = KvEngines.open("memory:conformance-shared")) {
      a.run(
          tx -> {
            tx.set(key, new byte[] {1});
            return null;
          });
      assertThat((byte[]) b.run(tx -> tx.get(key))).containsExactly(1);
    }
    try (KvEngine fresh = KvEngines.open("memory:conformance-shared")) {
      assertThat((byte[]) fresh.run(tx -> tx.get(key))).isNull();
    }
  }
}
