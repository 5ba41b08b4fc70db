package io.catena.installer.topology;

import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.placement.ChainTableGenerator;
import io.catena.topology.placement.ChainTableSpec;
import io.catena.topology.placement.GeneratedChainTable;
import io.catena.topology.placement.PlacementMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code catena topology plan}: generate a chain table for a shape and print its metrics. */
@Command(
    name = "plan",
    description =
        "Generate a balanced chain table for N nodes x D disks x T targets per disk and print its"
            + " placement metrics.",
    mixinStandardHelpOptions = true)
final class TopologyPlanCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ShapeOptions shape = new ShapeOptions();

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ClusterShape clusterShape = shape.shape();
    ClusterTopology cluster = clusterShape.build();
    long start = System.nanoTime();
    GeneratedChainTable generated =
        ChainTableGenerator.generate(
            cluster, ChainTableSpec.of(ChainTableId.of(1), shape.replicas, shape.seed));
    long millis = (System.nanoTime() - start) / 1_000_000;
    PlacementMetrics m = generated.metrics();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("nodes", clusterShape.nodes());
    result.put("targets", m.targets());
    result.put("chains", m.chains());
    result.put("replicas", m.replicas());
    result.put("racks", clusterShape.racks());
    result.put("targetsPerNode", TopologyOutput.minMax(m.targetsPerNode()));
    result.put("headsPerNode", TopologyOutput.minMax(m.headsPerNode()));
    result.put("domainViolations", m.domainViolations());
    result.put("maxPairShare", m.maxPairShare());
    result.put("idealPairShare", m.idealPairShare());
    result.put("adjacentSharing", m.adjacentSharing());
    result.put("unusedTargets", generated.unusedTargets());
    result.put("meetsBounds", m.meetsBounds());
    result.put("millis", millis);
    TopologyOutput.print(spec.commandLine().getOut(), result, json);
    return 0;
  }
}
