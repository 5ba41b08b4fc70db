package io.catena.meta;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ChainTableCatalog} held in memory: tests, and meta running without mgmtd. */
public final class InMemoryChainTableCatalog implements ChainTableCatalog {

  private final Map<Integer, TreeMap<Integer, ChainTable>> tables = new ConcurrentHashMap<>();

  public InMemoryChainTableCatalog put(ChainTable table) {
    tables.computeIfAbsent(table.id(), id -> new TreeMap<>());
    synchronized (tables.get(table.id())) {
      tables.get(table.id()).put(table.version(), table);
    }
    return this;
  }

  /** Forgets one version, as mgmtd does once no file uses it. */
  public void retire(int id, int version) {
    TreeMap<Integer, ChainTable> versions = tables.get(id);
    if (versions != null) {
      synchronized (versions) {
        versions.remove(version);
      }
    }
  }

  @Override
  public Optional<ChainTable> latest(int id) {
    TreeMap<Integer, ChainTable> versions = tables.get(id);
    if (versions == null) {
      return Optional.empty();
    }
    synchronized (versions) {
      return versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }
  }

  @Override
  public Optional<ChainTable> find(int id, int version) {
    TreeMap<Integer, ChainTable> versions = tables.get(id);
    if (versions == null) {
      return Optional.empty();
    }
    synchronized (versions) {
      return Optional.ofNullable(versions.get(version));
    }
  }
}
