package io.catena.topology.hotspot;

/** The planner step that would relieve a hot spot. */
public enum Relief {
  /** Make another replica the chain's head (RebalancePlanner with the node as hot): writes move. */
  MOVE_HEADS,
  /** Move replicas of the busiest chains to cooler nodes (RebalancePlanner with chain loads). */
  MOVE_REPLICAS,
  /** Clients should read from every serving replica (load-balanced replica choice). */
  SPREAD_READS,
  /** The load exceeds what its chains can spread: add chains (ScaleOutPlanner, new chains). */
  ADD_CHAINS,
  /** Not hot. */
  NONE
}
