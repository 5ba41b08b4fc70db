package io.catena.controlplane.ops;

import java.util.Locale;

/** What an operation does. */
public enum OperationKind {
  SCALE_OUT,
  REPAIR,
  DRAIN,
  ROLLING_RESTART,
  REBALANCE,
  SELF_HEAL;

  /** The name used on the wire and in the CLI: {@code scale-out}, {@code self-heal}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
