package io.catena.meta;

import java.util.Optional;

/**
 * The chain tables meta may lay files out on. mgmtd owns them and will back this interface with its
 * routing info; {@link InMemoryChainTableCatalog} serves tests and single-node setups.
 */
public interface ChainTableCatalog {

  /** The newest version of table {@code id}, if the table exists. */
  Optional<ChainTable> latest(int id);

  /** A given version of table {@code id}, if it is still known. */
  Optional<ChainTable> find(int id, int version);
}
