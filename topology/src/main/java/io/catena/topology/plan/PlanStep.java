package io.catena.topology.plan;

import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTableId;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import java.util.List;

/** One change a plan makes. Executors (the control plane) map each to mgmtd and agent calls. */
public sealed interface PlanStep {

  /** Bytes this step copies between nodes. */
  default long bytes() {
    return 0;
  }

  /** One line for people. */
  String describe();

  /** Register a node and its (spare) targets. */
  record AddNode(Node node, List<Target> targets) implements PlanStep {
    public AddNode {
      targets = List.copyOf(targets);
    }

    @Override
    public String describe() {
      return "add " + node.id() + " (" + node.address() + ") with " + targets.size() + " targets";
    }
  }

  /** Create a new, empty target on a node's disk. */
  record CreateTarget(Target target) implements PlanStep {
    @Override
    public String describe() {
      return "create " + target.id() + " on " + target.node() + " disk " + target.disk();
    }
  }

  /**
   * Move one replica: {@code to} joins the chain at the tail and syncs {@code bytes} from {@code
   * source} (a serving replica, made the last serving one so it is the new target's predecessor);
   * once {@code to} is SERVING, {@code from} leaves the chain and its data is deleted. For a repair
   * {@code from} is the failed target.
   */
  record MoveReplica(ChainId chain, TargetId from, TargetId to, TargetId source, long bytes)
      implements PlanStep {
    @Override
    public String describe() {
      return "move "
          + chain
          + " replica "
          + from
          + " -> "
          + to
          + " ("
          + bytes
          + " bytes from "
          + source
          + ")";
    }
  }

  /** Make {@code to} the chain's head (a reorder: no data moves). */
  record MoveHead(ChainId chain, TargetId from, TargetId to) implements PlanStep {
    @Override
    public String describe() {
      return "move head of " + chain + " from " + from + " to " + to;
    }
  }

  /** Add new (empty, all SERVING) chains to the end of a table, making its next version. */
  record AddChains(ChainTableId table, int newVersion, List<Chain> chains) implements PlanStep {
    public AddChains {
      chains = List.copyOf(chains);
    }

    @Override
    public String describe() {
      return "add " + chains.size() + " chains to " + table + " (version " + newVersion + ")";
    }
  }

  /** Remove a node that holds no replica any more, with its spare targets. */
  record RemoveNode(NodeId node) implements PlanStep {
    @Override
    public String describe() {
      return "remove " + node;
    }
  }
}
