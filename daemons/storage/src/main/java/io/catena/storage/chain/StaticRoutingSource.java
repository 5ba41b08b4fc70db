package io.catena.storage.chain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Routing held in memory and changed by its owner (a test playing mgmtd, or the ApplyRouting admin
 * call). A view replaces the held one only when its version is newer.
 */
public final class StaticRoutingSource implements RoutingSource {
  private final Map<Integer, ChainView> chains = new ConcurrentHashMap<>();
  private final List<Consumer<ChainView>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public Optional<ChainView> chain(int chainId) {
    return Optional.ofNullable(chains.get(chainId));
  }

  @Override
  public void subscribe(Consumer<ChainView> listener) {
    listeners.add(listener);
  }

  /** Installs {@code view} if newer than the held one; true when it was installed. */
  public boolean apply(ChainView view) {
    boolean[] installed = {false};
    chains.compute(
        view.chainId(),
        (id, old) -> {
          if (old == null || view.version() > old.version()) {
            installed[0] = true;
            return view;
          }
          return old;
        });
    if (installed[0]) {
      listeners.forEach(l -> l.accept(view));
    }
    return installed[0];
  }

  public List<ChainView> all() {
    return List.copyOf(chains.values());
  }
}
