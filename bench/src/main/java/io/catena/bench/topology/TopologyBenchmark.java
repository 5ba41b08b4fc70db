package io.catena.bench.topology;

import io.catena.topology.ChainTableId;
import io.catena.topology.ClusterShape;
import io.catena.topology.ClusterTopology;
import io.catena.topology.Node;
import io.catena.topology.placement.ChainTableGenerator;
import io.catena.topology.placement.ChainTableSpec;
import io.catena.topology.placement.PlacementMetrics;
import io.catena.topology.plan.PlanStep;
import io.catena.topology.plan.ScaleOutPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chain-table generation and scale-out planning at production size: 1,000 nodes × 16 disks × 8
 * targets, R = 3 (128,000 targets), adding 100 nodes. Each operation takes seconds, so the mode is
 * single-shot time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class TopologyBenchmark {

  private static final ChainTableId TABLE = ChainTableId.of(1);

  @Param({"1000"})
  int nodes;

  @Param({"16"})
  int disks;

  @Param({"8"})
  int targetsPerDisk;

  @Param({"3"})
  int replicas;

  @Param({"100"})
  int added;

  private ClusterTopology spare;
  private ClusterTopology generated;
  private List<PlanStep.AddNode> newNodes;

  @Setup(Level.Trial)
  public void setUp() {
    ClusterShape shape = new ClusterShape(nodes, disks, targetsPerDisk, 0);
    spare = shape.build();
    generated =
        ChainTableGenerator.generate(spare, ChainTableSpec.of(TABLE, replicas, 1)).topology();
    newNodes = new ArrayList<>();
    for (Node node : shape.newNodes(nodes + 1, added)) {
      newNodes.add(new PlanStep.AddNode(node, shape.targetsOf(node)));
    }
  }

  /** Generate the table and compute its metrics (pair shares included). */
  @Benchmark
  public PlacementMetrics generateAndEvaluate() {
    return ChainTableGenerator.generate(spare, ChainTableSpec.of(TABLE, replicas, 7)).metrics();
  }

  /** Metrics of an existing table only. */
  @Benchmark
  public PlacementMetrics evaluate() {
    return PlacementMetrics.of(generated, TABLE);
  }

  /** Plan adding the nodes by migrating replicas, balanced at the end. */
  @Benchmark
  public ScaleOutPlanner.Summary scaleOutMigrate() {
    return ScaleOutPlanner.plan(
            generated,
            TABLE,
            newNodes,
            ScaleOutPlanner.Options.of(ScaleOutPlanner.Strategy.MIGRATE))
        .summary();
  }

  /** Plan adding the nodes with new chains on them only. */
  @Benchmark
  public ScaleOutPlanner.Summary scaleOutNewChains() {
    return ScaleOutPlanner.plan(
            generated,
            TABLE,
            newNodes,
            ScaleOutPlanner.Options.of(ScaleOutPlanner.Strategy.NEW_CHAINS))
        .summary();
  }
}
