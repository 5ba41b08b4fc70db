package io.catena.topology.plan;

/** What a plan is for. */
public enum PlanKind {
  SCALE_OUT,
  REPAIR,
  REBALANCE,
  DRAIN
}
