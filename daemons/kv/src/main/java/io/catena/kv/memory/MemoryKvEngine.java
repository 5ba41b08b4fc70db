package io.catena.kv.memory;

import io.catena.kv.KvEngine;
import io.catena.kv.KvException;
import io.catena.kv.KvTransaction;
import io.catena.kv.occ.OccKvEngine;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-memory backend: the same serializable transactions as the other backends, nothing durable.
 * {@link #shared(String)} lets several daemons in one process use one store by name ({@code
 * memory:name}); the store lives while any of its handles is open.
 */
public final class MemoryKvEngine {

  private static final Map<String, Shared> SHARED = new HashMap<>();

  private MemoryKvEngine() {}

  /** A private store, dropped on close. */
  public static KvEngine create() {
    return new OccKvEngine("memory:", new MemoryStore());
  }

  /** A handle on the process-wide store named {@code name}, created on first use. */
  public static KvEngine shared(String name) {
    synchronized (SHARED) {
      Shared shared =
          SHARED.computeIfAbsent(
              name, n -> new Shared(n, new OccKvEngine("memory:" + n, new MemoryStore())));
      shared.handles++;
      return new Handle(shared);
    }
  }

  private static final class Shared {
    final String name;
    final OccKvEngine engine;
    int handles;

    Shared(String name, OccKvEngine engine) {
      this.name = name;
      this.engine = engine;
    }
  }

  private static final class Handle implements KvEngine {
    private final Shared shared;
    private volatile boolean closed;

    Handle(Shared shared) {
      this.shared = shared;
    }

    @Override
    public KvTransaction begin() {
      if (closed) {
        throw new KvException("this handle of " + uri() + " is closed", false);
      }
      return shared.engine.begin();
    }

    @Override
    public String uri() {
      return shared.engine.uri();
    }

    @Override
    public void close() {
      synchronized (SHARED) {
        if (closed) {
          return;
        }
        closed = true;
        if (--shared.handles == 0) {
          SHARED.remove(shared.name);
          shared.engine.close();
        }
      }
    }
  }
}
