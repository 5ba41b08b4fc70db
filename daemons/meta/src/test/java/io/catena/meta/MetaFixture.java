package io.catena.meta;

import io.catena.kv.KvEngine;
import io.catena.kv.KvEngines;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A meta node over a private memory engine, two chain tables and a recording chunk remover. */
final class MetaFixture implements AutoCloseable {

  final KvEngine kv;
  final InMemoryChainTableCatalog catalog = new InMemoryChainTableCatalog();
  final List<ChunkRemoval> removed = new CopyOnWriteArrayList<>();
  final AtomicBoolean storageDown = new AtomicBoolean();
  final MetaNode node;

  MetaFixture() {
    this(KvEngines.open("memory:"));
  }

  MetaFixture(KvEngine kv) {
    this.kv = kv;
    catalog.put(new ChainTable(1, 1, List.of(1, 2, 3, 4, 5, 6, 7, 8)));
    catalog.put(new ChainTable(2, 1, List.of(101, 102, 103, 104)));
    node =
        new MetaNode(
            kv,
            catalog,
            removal -> {
              if (storageDown.get()) {
                throw new IllegalStateException("storage unreachable");
              }
              removed.add(removal);
            },
            InstantSource.system(),
            Duration.ofSeconds(5));
  }

  MetaStore store() {
    return node.store();
  }

  /** A tenant using table 1 (stripe 4) and its root principal. */
  Principal tenant(String name, Quota quota) {
    Tenant t = node.tenants().createTenant(name, quota, List.of(1), 4);
    return new Principal(t.id(), 0, 0, 0, false);
  }

  Principal tenant(String name) {
    return tenant(name, Quota.UNLIMITED);
  }

  @Override
  public void close() {
    node.close();
    kv.close();
  }
}
