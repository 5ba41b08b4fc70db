package io.catena.controlplane.ops.cluster;

import java.util.List;
import java.util.OptionalInt;

/** Restarts the daemons of a node, for rolling restarts. */
public interface NodeRestarter {

  /** The nodes whose daemons can be restarted, by name. */
  List<String> nodes();

  /** The mgmtd node id of the node's storage daemon, if it runs one. */
  OptionalInt storageNodeId(String node);

  /** Whether the node runs the mgmtd primary (restarted last). */
  boolean hostsMgmtdPrimary(String node);

  /** Stops and starts the node's daemons; returns once they have been started again. */
  void restart(String node);
}
