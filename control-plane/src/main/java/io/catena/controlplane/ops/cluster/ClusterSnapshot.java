package io.catena.controlplane.ops.cluster;

import io.catena.protocol.convert.MgmtdCodec;
import io.catena.protocol.mgmtd.ChainTableInfo;
import io.catena.protocol.mgmtd.DaemonInfo;
import io.catena.protocol.mgmtd.RoutingInfo;
import io.catena.topology.Chain;
import io.catena.topology.ChainId;
import io.catena.topology.ChainTable;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Node;
import io.catena.topology.NodeId;
import io.catena.topology.Target;
import io.catena.topology.TargetId;
import io.catena.topology.TargetPublicState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * mgmtd's routing info at one version, as the topology model (the latest version of each chain
 * table) plus the daemons mgmtd knows. Target states in the model are mgmtd's public and local
 * states.
 */
public record ClusterSnapshot(
    long routingVersion, ClusterTopology topology, List<DaemonInfo> daemons, String primary) {

  public ClusterSnapshot {
    daemons = List.copyOf(daemons);
  }

  public static ClusterSnapshot of(RoutingInfo info) {
    List<Node> nodes = info.getNodesList().stream().map(MgmtdCodec::fromWire).toList();
    List<Target> targets = info.getTargetsList().stream().map(MgmtdCodec::fromWire).toList();
    List<Chain> chains = info.getChainsList().stream().map(MgmtdCodec::fromWire).toList();
    Map<Integer, ChainTableInfo> latest = new HashMap<>();
    for (ChainTableInfo t : info.getChainTablesList()) {
      latest.merge(t.getTableId(), t, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
    }
    List<ChainTable> tables = new ArrayList<>();
    latest.values().forEach(t -> tables.add(MgmtdCodec.fromWire(t)));
    return new ClusterSnapshot(
        info.getVersion(),
        ClusterTopology.of(nodes, targets, chains, tables, List.of()),
        info.getDaemonsList(),
        info.getPrimaryAddress());
  }

  public TargetPublicState state(TargetId target) {
    return topology.target(target).publicState();
  }

  /** Whether every replica of the chain is SERVING. */
  public boolean fullStrength(ChainId chain, int replicas) {
    Chain c = topology.chain(chain);
    return c.replicas() == replicas
        && c.targets().stream().allMatch(t -> state(t) == TargetPublicState.SERVING);
  }

  /** The replica count most chains have: the table's replication factor. */
  public int replicationFactor() {
    Map<Integer, Integer> counts = new HashMap<>();
    for (Chain c : topology.chains()) {
      counts.merge(c.replicas(), 1, Integer::sum);
    }
    return counts.entrySet().stream()
        .max(
            Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse(0);
  }

  /** The storage address mgmtd holds for a node. */
  public Optional<String> address(NodeId node) {
    return topology.findNode(node).map(Node::address).filter(a -> !a.isBlank());
  }

  /** Every chain as members with their nodes and states, for the safety rules. */
  public List<io.catena.controlplane.ops.safety.ChainState> chainStates() {
    List<io.catena.controlplane.ops.safety.ChainState> out = new ArrayList<>();
    for (Chain c : topology.chains()) {
      List<io.catena.controlplane.ops.safety.ChainState.Member> members = new ArrayList<>();
      for (TargetId t : c.targets()) {
        Target target = topology.target(t);
        members.add(
            new io.catena.controlplane.ops.safety.ChainState.Member(
                t.value(), target.node().value(), target.publicState()));
      }
      out.add(new io.catena.controlplane.ops.safety.ChainState(c.id().value(), members));
    }
    return out;
  }
}
