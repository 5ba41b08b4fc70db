package io.catena.installer.topology;

import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.FailureDomain;
import io.catena.topology.Node;
import io.catena.topology.placement.ChainTableGenerator;
import io.catena.topology.placement.ChainTableSpec;
import io.catena.topology.plan.PlanStep;
import io.catena.topology.plan.ScaleOutPlanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catena topology scale-out}: generate a table for the shape, plan adding nodes of the same
 * shape, print the plan's summary.
 */
@Command(
    name = "scale-out",
    description =
        "Plan adding --add nodes (in steps of --step) to a generated table for the shape and print"
            + " the plan's summary.",
    mixinStandardHelpOptions = true)
final class TopologyScaleOutCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ShapeOptions shape = new ShapeOptions();

  @Option(names = "--add", required = true, description = "Nodes to add.")
  int add;

  @Option(
      names = "--step",
      defaultValue = "0",
      description = "Nodes per scale-out step; 0: all at once (default).")
  int step;

  @Option(
      names = "--strategy",
      defaultValue = "migrate",
      description =
          "migrate: move replicas so every node ends balanced (default); new-chains: add chains on"
              + " the new nodes only, moving nothing.")
  String strategy;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ScaleOutPlanner.Strategy chosen =
        switch (strategy) {
          case "migrate" -> ScaleOutPlanner.Strategy.MIGRATE;
          case "new-chains" -> ScaleOutPlanner.Strategy.NEW_CHAINS;
          default ->
              throw new IllegalArgumentException(
                  "--strategy must be migrate or new-chains, got '" + strategy + "'");
        };
    if (add < 1) {
      throw new IllegalArgumentException("--add must be >= 1, got " + add);
    }
    if (step < 0 || step > add) {
      throw new IllegalArgumentException("--step must be in [0, --add], got " + step);
    }
    ClusterShape clusterShape = shape.shape();
    ChainTableId table = ChainTableId.of(1);
    ClusterTopology cluster =
        ChainTableGenerator.generate(
                clusterShape.build(), ChainTableSpec.of(table, shape.replicas, shape.seed))
            .topology();
    List<PlanStep.AddNode> newNodes = new ArrayList<>();
    for (Node node : clusterShape.newNodes(clusterShape.nodes() + 1, add)) {
      newNodes.add(new PlanStep.AddNode(node, clusterShape.targetsOf(node)));
    }
    long start = System.nanoTime();
    ScaleOutPlanner.Result planned =
        ScaleOutPlanner.plan(
            cluster,
            table,
            newNodes,
            new ScaleOutPlanner.Options(chosen, step, FailureDomain.RACK, shape.seed));
    long millis = (System.nanoTime() - start) / 1_000_000;
    ScaleOutPlanner.Summary s = planned.summary();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("strategy", strategy);
    result.put("nodesBefore", s.nodesBefore());
    result.put("nodesAdded", s.nodesAdded());
    result.put("waves", s.waves());
    result.put("steps", s.steps());
    result.put("movedReplicas", s.movedReplicas());
    result.put("totalReplicas", s.totalReplicas());
    result.put("movedFraction", s.movedFraction());
    result.put("idealFraction", s.idealFraction());
    result.put("oneShotIdealFraction", s.oneShotIdealFraction());
    result.put("targetsPerNode", TopologyOutput.minMax(s.targetsPerNode()));
    result.put("headsPerNode", TopologyOutput.minMax(s.headsPerNode()));
    result.put("maxPairShare", s.maxPairShare());
    result.put("idealPairShare", s.idealPairShare());
    result.put("domainViolations", s.domainViolations());
    result.put("minServingDuringPlan", s.minServingDuringPlan());
    result.put("notes", planned.plan().notes());
    result.put("millis", millis);
    TopologyOutput.print(spec.commandLine().getOut(), result, json);
    return 0;
  }
}
