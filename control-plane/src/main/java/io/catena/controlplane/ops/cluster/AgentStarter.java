package io.catena.controlplane.ops.cluster;

import io.catena.controlplane.spec.ClusterSpec.NodeSpec;

/**
 * Starts a node's agent on this machine, for a local cluster's scale-out. The control plane does
 * not start processes itself: the installer that runs it ({@code catena up}'s way) does.
 */
public interface AgentStarter {

  /**
   * Starts {@code node}'s agent, joining {@code controlPlane} with {@code joinToken}, unless
   * running.
   */
  void ensureAgent(NodeSpec node, String controlPlane, String joinToken);

  /** Whether {@code node}'s agent is a live process. */
  boolean running(String node);
}
