package io.catena.topology.plan;

import io.catena.topology.Chain;
import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Node;
import io.catena.topology.TargetId;
import io.catena.topology.placement.ChainTableGenerator;
import io.catena.topology.placement.ChainTableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** Test clusters: a shape with a generated table 1 whose chains hold data. */
final class Clusters {
  static final ChainTableId TABLE = ChainTableId.of(1);

  private Clusters() {}

  static ClusterTopology generated(ClusterShape shape, int replicas, long seed) {
    return ChainTableGenerator.generate(shape.build(), ChainTableSpec.of(TABLE, replicas, seed))
        .topology();
  }

  /** Every replica of a chain holds {@code bytes.applyAsLong(chain)} bytes. */
  static ClusterTopology withData(ClusterTopology cluster, ToLongFunction<Chain> bytes) {
    ClusterTopology.Builder builder = cluster.toBuilder();
    for (Chain chain : cluster.chains()) {
      long used = bytes.applyAsLong(chain);
      for (TargetId t : chain.targets()) {
        builder.putTarget(cluster.target(t).withUsedBytes(used));
      }
    }
    return builder.build();
  }

  static List<PlanStep.AddNode> newNodes(ClusterShape shape, int firstId, int count) {
    List<PlanStep.AddNode> result = new ArrayList<>();
    for (Node node : shape.newNodes(firstId, count)) {
      result.add(new PlanStep.AddNode(node, shape.targetsOf(node)));
    }
    return result;
  }
}
