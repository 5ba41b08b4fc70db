package io.catena.controlplane.ops;

import java.util.List;

/** What an operator (or self-healing) asks for. Ids are mgmtd's node and target numbers. */
public sealed interface OperationRequest {

  OperationKind kind();

  /** The subject, for the audit log ("3 nodes", "target 20100"). */
  String subject();

  /**
   * Add {@code addNodes} new storage nodes in waves of {@code stepSize} (0: one wave).
   *
   * @param mode {@code auto} (migrate), {@code migrate} or {@code new-chains}
   */
  record ScaleOut(int addNodes, int stepSize, String mode) implements OperationRequest {
    public ScaleOut {
      if (addNodes <= 0) {
        throw new IllegalArgumentException("scale-out needs --nodes >= 1, got " + addNodes);
      }
      if (stepSize < 0) {
        throw new IllegalArgumentException("scale-out step size must be >= 0, got " + stepSize);
      }
      mode = mode == null || mode.isBlank() ? "auto" : mode;
      if (!List.of("auto", "migrate", "new-chains").contains(mode)) {
        throw new IllegalArgumentException(
            "scale-out mode is auto, migrate or new-chains, got '" + mode + "'");
      }
    }

    @Override
    public OperationKind kind() {
      return OperationKind.SCALE_OUT;
    }

    @Override
    public String subject() {
      return addNodes + " nodes";
    }
  }

  /** Replace an OFFLINE target with a new replica elsewhere. */
  record Repair(long targetId) implements OperationRequest {
    public Repair {
      if (targetId <= 0) {
        throw new IllegalArgumentException("repair needs a target id, got " + targetId);
      }
    }

    @Override
    public OperationKind kind() {
      return OperationKind.REPAIR;
    }

    @Override
    public String subject() {
      return "target " + targetId;
    }
  }

  /** Move every replica off a node; optionally remove it afterwards. */
  record Drain(int nodeId, boolean decommission) implements OperationRequest {
    public Drain {
      if (nodeId <= 0) {
        throw new IllegalArgumentException("drain needs a node id, got " + nodeId);
      }
    }

    @Override
    public OperationKind kind() {
      return OperationKind.DRAIN;
    }

    @Override
    public String subject() {
      return "node " + nodeId;
    }
  }

  /** Restart the daemons of these nodes (empty: every node), one node at a time. */
  record RollingRestart(List<String> nodes) implements OperationRequest {
    public RollingRestart {
      nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    @Override
    public OperationKind kind() {
      return OperationKind.ROLLING_RESTART;
    }

    @Override
    public String subject() {
      return nodes.isEmpty() ? "every node" : String.join(",", nodes);
    }
  }

  /** Move heads and replicas off hot nodes, judged over a load window. */
  record Rebalance(LoadWindow window) implements OperationRequest {
    public Rebalance {
      window = window == null ? LoadWindow.FIVE_MINUTES : window;
    }

    @Override
    public OperationKind kind() {
      return OperationKind.REBALANCE;
    }

    @Override
    public String subject() {
      return "load over " + window.id();
    }
  }

  /** Self-healing's repair of a target that stayed OFFLINE past the timeout. */
  record SelfHeal(long targetId) implements OperationRequest {
    @Override
    public OperationKind kind() {
      return OperationKind.SELF_HEAL;
    }

    @Override
    public String subject() {
      return "target " + targetId;
    }
  }
}
