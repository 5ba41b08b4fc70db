package io.catena.storage.chain;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a storage daemon learns chain membership. mgmtd's routing info implements it in production;
 * {@link StaticRoutingSource} stands in until then and in tests.
 */
public interface RoutingSource {
  Optional<ChainView> chain(int chainId);

  /** Calls {@code listener} with every chain view that replaces an older one. */
  void subscribe(Consumer<ChainView> listener);
}
